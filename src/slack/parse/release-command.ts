// `/release …` text → a typed command, or a sentence saying what is wrong. Pure: the caller passes
// the runbook's service and environment names. Nothing typed here reaches a shell: versions are
// validated, and notes and reasons are only ever text on a card or in the audit log.
import { z } from 'zod';
import { validateVersion } from '../../config/version.ts';
import { tokenize, UNCLOSED_QUOTE, type Token } from './tokenize.ts';
import { MAX_STATS_DAYS, parseStatsArgs } from './stats-command.ts';
import {
  fail,
  isKeyword,
  joinText,
  ok,
  optionalEnvironment,
  optionalService,
  truncate,
  unknownVerb,
  type Parsed,
  type RunbookNames,
} from './command-args.ts';
import { buildStart } from './start-args.ts';

export const MAX_NOTES = 1000;
export const MAX_REASON = 500;

export const releaseCommandSchema = z.discriminatedUnion('verb', [
  z.object({
    verb: z.literal('start'),
    service: z.string().optional(),
    version: z.string(),
    environment: z.string().optional(),
    dryRun: z.boolean(),
    downgrade: z.boolean().optional(),
    hotfix: z.string().min(1).max(MAX_REASON).optional(),
    notes: z.string().max(MAX_NOTES).optional(),
  }),
  z.object({ verb: z.enum(['status', 'history']), service: z.string().optional() }),
  z.object({ verb: z.literal('list') }),
  z.object({
    verb: z.literal('rollback'),
    service: z.string().optional(),
    environment: z.string().optional(),
    toVersion: z.string().optional(),
    reason: z.string().max(MAX_REASON).optional(),
  }),
  z.object({
    verb: z.enum(['pause', 'resume', 'abort', 'promote']),
    service: z.string().optional(),
    environment: z.string().optional(),
    reason: z.string().max(MAX_REASON).optional(),
  }),
  z.object({ verb: z.literal('freeze'), scope: z.string(), reason: z.string().max(MAX_REASON).optional() }),
  z.object({ verb: z.literal('unfreeze'), scope: z.string() }),
  z.object({ verb: z.literal('audit'), releaseId: z.string().regex(/^[A-Za-z0-9_-]{1,120}$/) }),
  z.object({ verb: z.literal('help') }),
  z.object({
    verb: z.literal('stats'),
    service: z.string().optional(),
    days: z.number().int().min(1).max(MAX_STATS_DAYS),
  }),
]);
export type ReleaseCommand = z.infer<typeof releaseCommandSchema>;

const VERBS = [
  'start',
  'status',
  'list',
  'history',
  'rollback',
  'pause',
  'resume',
  'abort',
  'promote',
  'freeze',
  'unfreeze',
  'audit',
  'stats',
  'help',
];

export function parseReleaseCommand(text: string, names: RunbookNames): Parsed<ReleaseCommand> {
  const { input, tokens } = tokenize(text);
  const [verbToken, ...rest] = tokens;
  const verb = verbToken?.value.toLowerCase() ?? 'help';
  // Only a start's notes are free text that may hold a lone quote (5" screens); it checks the rest.
  if (verb !== 'start' && tokens.some((t) => t.unclosed)) return fail(UNCLOSED_QUOTE);
  const built = build(verb, rest, names, input);
  if (!built.ok) return built;
  const checked = releaseCommandSchema.safeParse(built.command);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    if (field === 'notes') return fail(`Notes are limited to ${MAX_NOTES} characters.`);
    return fail(`${field ? `${field}: ` : ''}${issue?.message ?? 'invalid command'}`);
  }
  return { ok: true, command: checked.data };
}

function build(verb: string, args: Token[], names: RunbookNames, input: string): Parsed<unknown> {
  switch (verb) {
    case 'start':
      return buildStart(args, names, input);
    case 'status':
    case 'history': {
      const service = optionalService(args, names);
      if (!service.ok) return service;
      if (service.rest.length > 0)
        return fail(`Unexpected "${service.rest[0]!.value}" after /release ${verb}.`);
      return ok({ verb, ...(service.value ? { service: service.value } : {}) });
    }
    case 'list':
      if (args.length > 0)
        return fail(
          '/release list takes no arguments; try /release status <service> or /release history <service>.',
        );
      return ok({ verb });
    case 'rollback':
      return buildRollback(args, names);
    case 'pause':
    case 'resume':
    case 'abort':
    case 'promote': {
      const service = optionalService(args, names, ['in']);
      if (!service.ok) return service;
      const env = optionalEnvironment(service.rest, names);
      const reason = joinText(env.rest);
      if (reason && (verb === 'resume' || verb === 'promote')) {
        return fail(
          `Unexpected "${env.rest[0]!.value}" after /release ${verb}${service.value ? ` ${service.value}` : ''}.`,
        );
      }
      return ok({
        verb,
        ...(service.value ? { service: service.value } : {}),
        ...(env.value ? { environment: env.value } : {}),
        ...(reason ? { reason } : {}),
      });
    }
    case 'freeze':
    case 'unfreeze': {
      const first = args[0];
      const isScope =
        first && !first.quoted && (isKeyword(first, 'all') || names.services.includes(first.value));
      if (!isScope && verb === 'freeze') {
        const checked = optionalService(args, names, ['all']);
        if (!checked.ok) return checked;
      }
      const rest = isScope ? args.slice(1) : args;
      const scope = isScope && !isKeyword(first, 'all') ? first.value : 'all';
      if (verb === 'unfreeze') {
        if (rest.length > 0)
          return fail(
            `There is no service "${rest[0]!.value}"; say a service from the runbook (${names.services.join(', ')}) or all.`,
          );
        return ok({ verb, scope });
      }
      const reason = joinText(rest);
      return ok({ verb, scope, ...(reason ? { reason } : {}) });
    }
    case 'audit': {
      if (args.length !== 1)
        return fail('Say which release: /release audit <release id> (the id is on the card).');
      return ok({ verb, releaseId: args[0]!.value });
    }
    case 'stats': {
      const stats = parseStatsArgs(args, names.services);
      return stats.ok ? ok({ verb, ...stats.value }) : stats;
    }
    case 'help':
      return ok({ verb });
    default:
      return fail(unknownVerb('/release', verb, VERBS, truncate));
  }
}

function buildRollback(args: Token[], names: RunbookNames): Parsed<unknown> {
  const service = optionalService(args, names, ['to', 'in']);
  if (!service.ok) return service;
  const env = optionalEnvironment(service.rest, names);
  let rest = env.rest;
  let toVersion: string | undefined;
  if (isKeyword(rest[0], 'to')) {
    const v = rest[1];
    if (!v) return fail('Say which version after "to": /release rollback [service] to <version>.');
    const checked = validateVersion(v.value);
    if (!checked.ok) return fail(`That version is not valid: ${checked.error}.`);
    toVersion = checked.version;
    rest = rest.slice(2);
  }
  const reason = joinText(rest);
  return ok({
    verb: 'rollback',
    ...(service.value ? { service: service.value } : {}),
    ...(env.value ? { environment: env.value } : {}),
    ...(toVersion ? { toVersion } : {}),
    ...(reason ? { reason } : {}),
  });
}
