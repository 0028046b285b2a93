// The runbook file's JSON Schema, for editors: zod's own `z.toJSONSchema` of the schema `runway check`
// uses, describing the file as written (io: 'input'), so new fields appear by themselves.
// What zod's output cannot say by itself is filled in through its `override` hook:
// - keyed unions and the one-or-many http checks transform `unknown` (schema.ts); written-as.ts
//   records their branches, converted in their place (any one of them);
// - a duration is a string checked in a transform: it gets duration.ts's own pattern;
// - a case-insensitive regex loses its flag in JSON Schema (patterns have none), so its letter
//   ranges are widened, or the pattern is left out rather than refuse what `check` accepts.
// Checks that only code can make (URLs, time zones, windows, cross-references) stay `runway check`'s.
import { z } from 'zod';
import { WHOLE as DURATION } from './duration.ts';
import { durationSchema, runbookSchema } from './schema.ts';
import { writtenAs } from './written-as.ts';
import { accountIdSchema } from './gate-sources.ts';

type Json = Record<string, unknown>;

const options: z.core.ToJSONSchemaParams = {
  io: 'input',
  // A kind zod cannot express (a custom check, a function) accepts anything here; `check` still judges it.
  unrepresentable: 'any',
  override: ({ zodSchema, jsonSchema }) => {
    const written = writtenAs(zodSchema);
    if (written) {
      const branches = written.map((branch) => convert(branch));
      replaceWith(jsonSchema, branches.length === 1 ? (branches[0] ?? {}) : { anyOf: branches });
    }
    if (zodSchema === durationSchema) describeDuration(jsonSchema);
    if (zodSchema === accountIdSchema) describeAccountId(jsonSchema);
    widenCaseInsensitive(zodSchema, jsonSchema);
  },
};

function convert(schema: z.core.$ZodType): Json {
  const { $schema: _dialect, ...body } = z.toJSONSchema(schema, options) as Json;
  return body;
}

/** A `${NAME}` written in the file, read from the environment when it loads (`check` sees its value). */
const PLACEHOLDER = '\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}';

/** A written value `check` trims, or a placeholder for one: `body` is a pattern without anchors. */
const writtenValue = (body: string): string => `^\\s*(?:${body}|${PLACEHOLDER})\\s*$`;

function describeDuration(json: Json): void {
  json['description'] = 'a duration like 500ms, 30s, 5m, 1h or 1h30m (a bare number is seconds)';
  const branches = Array.isArray(json['anyOf']) ? (json['anyOf'] as Json[]) : [];
  const body = DURATION.source.replace(/^\^/, '').replace(/\$$/, '');
  for (const branch of branches) if (branch['type'] === 'string') branch['pattern'] = writtenValue(body);
}

function describeAccountId(json: Json): void {
  replaceWith(json, {
    description: 'the New Relic account id: a number, or `${NAME}` holding one',
    anyOf: [
      { type: 'integer', exclusiveMinimum: 0 },
      { type: 'string', pattern: writtenValue('\\d+') },
    ],
  });
}

function replaceWith(target: Json, source: Json): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, source);
}

function widenCaseInsensitive(zodSchema: z.core.$ZodType, json: Json): void {
  if (typeof json['pattern'] !== 'string') return;
  const insensitive = (zodSchema._zod.def.checks ?? [])
    .map((check) => (check._zod.def as { pattern?: unknown }).pattern)
    .find((p): p is RegExp => p instanceof RegExp && p.flags.includes('i') && p.source === json['pattern']);
  if (!insensitive) return;
  const widened = widenLetters(insensitive.source);
  if (widened === null) delete json['pattern'];
  else json['pattern'] = widened;
}

/** `[a-z0-9]` → `[a-zA-Z0-9]`; null when letters appear where that simple widening cannot reach. */
export function widenLetters(source: string): string | null {
  const widened = source.replace(/a-z(?!A-Z)/g, 'a-zA-Z');
  const outsideClasses = widened.replace(/\\./g, '').replace(/\[[^\]]*\]/g, '');
  return /[a-zA-Z]/.test(outsideClasses) ? null : widened;
}

/** The JSON Schema of the runbook file. */
export function runbookJsonSchema(): Json {
  return {
    ...(z.toJSONSchema(runbookSchema, options) as Json),
    title: 'Runway runbook (runway.yml)',
    description: 'Generated from the schema `runway check` uses; `npx runway schema` prints it.',
  };
}
