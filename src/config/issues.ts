// zod issues → `path: message` lines a person can act on. zod's own messages are close; this drops
// its "Invalid input: " prefix, picks the branch of a union that matches what was written, points
// unknown keys at the key itself with a "did you mean", and says "missing" instead of "received undefined".
import type { z } from 'zod';
import {
  approvalsSchema,
  channelsSchema,
  githubActionsSchema,
  handoffSchema,
  httpCheckSchema,
  incidentsSchema,
  pagerdutySchema,
  runbookSchema,
  serviceSchema,
  settingsShape,
  webhookSchema,
  windowsSchema,
} from './schema.ts';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

const SETTINGS_KEYS = Object.keys(settingsShape);
const SECTION_KEYS: Record<string, string[]> = {
  approvals: Object.keys(approvalsSchema.shape),
  windows: Object.keys(windowsSchema.shape),
  channels: Object.keys(channelsSchema.shape),
  handoff: Object.keys(handoffSchema.shape),
  incidents: Object.keys(incidentsSchema.shape),
};
// Anywhere else (actions, gates, stages, checks): every key the schema knows.
const ALL_KEYS = [
  ...new Set([
    ...SETTINGS_KEYS,
    ...Object.values(SECTION_KEYS).flat(),
    ...[httpCheckSchema, webhookSchema, pagerdutySchema, githubActionsSchema].flatMap((s) =>
      Object.keys(s.shape),
    ),
    // Kind keys and fields of actions, gates, stages and pre-flight items (built by keyedUnion, no .shape).
    ...[
      'command',
      'env',
      'cwd',
      'timeout',
      'retries',
      'description',
      'webhook',
      'http',
      'pagerduty',
      'github_actions',
    ],
    ...['prometheus', 'query', 'path', 'min', 'max', 'for', 'every', 'no_data', 'no_data_timeout'],
    ...['traffic', 'hold', 'gates', 'approval', 'bake', 'run', 'id', 'title', 'manual', 'required', 'check'],
  ]),
];

/** The keys that may sit at `path`, for "did you mean". */
function knownKeysAt(path: Path): string[] {
  const p = path.map(String);
  if (p.length === 0) return Object.keys(runbookSchema.shape);
  if (p.length === 1 && p[0] === 'defaults') return [...SETTINGS_KEYS, 'environment'];
  if (p.length === 2 && p[0] === 'services') return Object.keys(serviceSchema.shape);
  if (p.length === 4 && p[0] === 'services' && p[2] === 'environments') return SETTINGS_KEYS;
  const section = SECTION_KEYS[p.at(-1) ?? ''];
  return section ?? ALL_KEYS;
}

export function formatPath(path: Path): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}

/** One line per problem, in the order zod found them. `raw` is the validated input, to show what was written. */
export function formatIssues(issues: readonly Issue[], raw: unknown): string[] {
  return issues.flatMap((issue) => describe(issue, [], raw));
}

function describe(issue: Issue, prefix: Path, raw: unknown): string[] {
  const path = [...prefix, ...issue.path];
  const written = valueAt(raw, path);

  if (issue.code === 'invalid_union' && issue.message === 'Invalid input') {
    return describeUnion(issue.errors, path, raw, written);
  }
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownKey(path, key));
  const forwardedUnknown = /^Unrecognized keys?: (.*)$/.exec(issue.message);
  if (forwardedUnknown) {
    return [...(forwardedUnknown[1] ?? '').matchAll(/"([^"]*)"/g)].map((m) => unknownKey(path, m[1] ?? ''));
  }
  if (issue.code === 'invalid_key') {
    const why = issue.issues[0]?.message ?? 'invalid name';
    return [`${formatPath(path)}: "${String(path.at(-1))}" is not a valid name: ${why}`];
  }
  return [`${formatPath(path)}: ${cleanMessage(issue.message, written)}`];
}

/**
 * A union failed: report the branch that fits what was written. For a mapping, the branch that
 * got past the type check; for a plain value, every branch's complaint (they are all short).
 */
function describeUnion(branches: Issue[][], path: Path, raw: unknown, written: unknown): string[] {
  const isTypeMismatch = (issue: Issue) =>
    issue.path.length === 0 &&
    (issue.code === 'invalid_type' ||
      issue.code === 'invalid_value' ||
      /^expected an? [a-z ]+ with one of/.test(issue.message));
  const fitting = branches.filter((branch) => !branch.every(isTypeMismatch));
  const chosen = fitting[0];
  if (chosen && isMapping(written)) return chosen.flatMap((issue) => describe(issue, path, raw));
  const messages = [
    ...new Set(branches.flatMap((branch) => branch.map((issue) => cleanMessage(issue.message)))),
  ];
  // "expected one of "deploy", "smoke", or a stage with one of: traffic, approval, bake, run (got "deploi")"
  const joined = messages.map((m, i) => (i === 0 ? m : m.replace(/^expected /, ''))).join(', or ');
  return [`${formatPath(path)}: ${joined}${shown(written)}`];
}

/** zod's message without its prefix; with what was written when that helps. */
function cleanMessage(message: string, written?: unknown): string {
  const text = message.replace(/^Invalid (input|option): /, '').replace(/"\|"/g, '", "');
  const missing = /^expected (.*), received undefined$/.exec(text);
  if (missing) return `missing (expected ${missing[1]})`;
  if (/^expected string, received (number|boolean)$/.test(text)) {
    return `${text}${shown(written)}: put it in quotes to make it a string`;
  }
  if (/^expected (one of |[^,]*$)/.test(text)) return `${text}${shown(written)}`;
  return text;
}

function unknownKey(path: Path, key: string): string {
  const guess = closest(key, knownKeysAt(path));
  return `${formatPath([...path, key])}: unknown key${guess ? ` (did you mean "${guess}"?)` : ''}`;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return ` (got "${value}")`;
  if (typeof value === 'number' || typeof value === 'boolean') return ` (got ${String(value)})`;
  return '';
}

function isMapping(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** The known key within two edits of `key` (one for short keys), if one is. */
export function closest(key: string, known: readonly string[]): string | undefined {
  const limit = key.length <= 4 ? 1 : 2;
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate);
    if (distance <= limit && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
