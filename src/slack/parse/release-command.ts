// `/release …` text → a typed command, or a sentence saying what is wrong. Pure: the caller passes
// the runbook's service and environment names. Nothing typed here reaches a shell: versions are
// validated, and notes and reasons are only ever text on a card or in the audit log.
import { z } from 'zod';
import { validateVersion } from '../../config/version.ts';
import { tokenize, type Token } from './tokenize.ts';
import { MAX_STATS_DAYS, parseStatsArgs } from './stats-command.ts';
import { closest } from '../../config/issues.ts';

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
    toVersion: z.string().optional(),
    reason: z.string().max(MAX_REASON).optional(),
  }),
  z.object({
    verb: z.enum(['pause', 'resume', 'abort', 'promote']),
    service: z.string().optional(),
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

export interface RunbookNames {
  services: readonly string[];
  environments: readonly string[];
}

export type Parsed<T> = { ok: true; command: T } | { ok: false; error: string };

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
  const tokens = tokenize(text);
  if (!tokens.ok) return tokens;
  const [verbToken, ...rest] = tokens.tokens;
  const verb = verbToken?.value.toLowerCase() ?? 'help';
  const built = build(verb, rest, names);
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

function build(verb: string, args: Token[], names: RunbookNames): Parsed<unknown> {
  switch (verb) {
    case 'start':
      return buildStart(args, names);
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
      const service = optionalService(args, names);
      if (!service.ok) return service;
      const reason = joinText(service.rest);
      if (reason && (verb === 'resume' || verb === 'promote')) {
        return fail(
          `Unexpected "${service.rest[0]!.value}" after /release ${verb}${service.value ? ` ${service.value}` : ''}.`,
        );
      }
      return ok({
        verb,
        ...(service.value ? { service: service.value } : {}),
        ...(reason ? { reason } : {}),
      });
    }
    case 'freeze':
    case 'unfreeze': {
      const first = args[0];
      const isScope =
        first && !first.quoted && (first.value === 'all' || names.services.includes(first.value));
      if (!isScope && verb === 'freeze') {
        const checked = optionalService(args, names, ['all']);
        if (!checked.ok) return checked;
      }
      const rest = isScope ? args.slice(1) : args;
      const scope = isScope ? first.value : 'all';
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

function buildStart(args: Token[], names: RunbookNames): Parsed<unknown> {
  let rest = args;
  let service: string | undefined;
  const first = rest[0];
  if (first && !first.quoted && names.services.includes(first.value)) {
    service = first.value;
    rest = rest.slice(1);
  }
  const versionToken = rest[0];
  if (!versionToken || versionToken.value.startsWith('--'))
    return fail('Say which version to release: /release start [service] <version>.');
  // A word that is no version, followed by one that is, was meant as a service name.
  const looksLikeService = rest[1] !== undefined && validateVersion(rest[1].value).ok;
  if (
    !service &&
    (names.services.length > 1 || looksLikeService) &&
    !validateVersion(versionToken.value).ok
  ) {
    return fail(
      `There is no service "${truncate(versionToken.value)}" in the runbook; it has ${names.services.join(', ')}.`,
    );
  }
  const version = validateVersion(versionToken.value);
  if (!version.ok) return fail(`That version is not valid: ${version.error}.`);
  rest = rest.slice(1);
  let environment: string | undefined;
  let dryRun = false;
  let downgrade = false;
  let hotfix: string | undefined;
  const notes: Token[] = [];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (!token.quoted && token.value === 'to' && environment === undefined && notes.length === 0) {
      const env = rest[i + 1];
      if (!env)
        return fail('Say which environment after "to": /release start <service> <version> to <environment>.');
      if (!names.environments.includes(env.value)) {
        return fail(
          `There is no environment "${truncate(env.value)}"; the runbook has ${names.environments.join(', ')}.`,
        );
      }
      environment = env.value;
      i++;
    } else if (!token.quoted && token.value === '--dry-run') {
      dryRun = true;
    } else if (!token.quoted && token.value === '--downgrade') {
      downgrade = true;
    } else if (!token.quoted && token.value === '--hotfix') {
      const reason = rest[i + 1];
      if (!reason || (!reason.quoted && reason.value.startsWith('--'))) {
        return fail('A hotfix needs a reason: --hotfix "why this cannot wait".');
      }
      hotfix = reason.value.trim();
      if (!hotfix) return fail('A hotfix needs a reason: --hotfix "why this cannot wait".');
      i++;
    } else if (!token.quoted && token.value.startsWith('--')) {
      return fail(
        `Unknown option ${truncate(token.value)}; /release start takes --dry-run, --downgrade and --hotfix "reason".`,
      );
    } else {
      notes.push(token);
    }
  }
  const text = joinText(notes);
  return ok({
    verb: 'start',
    ...(service ? { service } : {}),
    version: version.version,
    ...(environment ? { environment } : {}),
    dryRun,
    ...(downgrade ? { downgrade } : {}),
    ...(hotfix ? { hotfix } : {}),
    ...(text ? { notes: text } : {}),
  });
}

function buildRollback(args: Token[], names: RunbookNames): Parsed<unknown> {
  const service = optionalService(args, names, ['to']);
  if (!service.ok) return service;
  let rest = service.rest;
  let toVersion: string | undefined;
  if (rest[0] && !rest[0].quoted && rest[0].value === 'to') {
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
    ...(toVersion ? { toVersion } : {}),
    ...(reason ? { reason } : {}),
  });
}

/**
 * A leading service name, when the first word is one; otherwise none (the sole or active one is
 * meant). With several services, an unquoted first word that is no service is refused rather than
 * read as a reason: `/release abort paymnts` must not abort whichever release happens to be active.
 * `keywords` are words that may legitimately come first (`to` in rollback, `all` in freeze).
 */
function optionalService(
  args: Token[],
  names: RunbookNames,
  keywords: readonly string[] = [],
): { ok: true; value?: string; rest: Token[] } | { ok: false; error: string } {
  const first = args[0];
  if (first && !first.quoted && names.services.includes(first.value))
    return { ok: true, value: first.value, rest: args.slice(1) };
  if (first && !first.quoted && names.services.length > 1 && !keywords.includes(first.value)) {
    const also = keywords.includes('all') ? ' or all' : '';
    return fail(
      `There is no service "${truncate(first.value)}" in the runbook; it has ${names.services.join(', ')}${also}. Put a reason after the service, or in quotes.`,
    );
  }
  return { ok: true, rest: args };
}

function joinText(tokens: Token[]): string {
  return tokens
    .map((t) => t.value)
    .join(' ')
    .trim();
}

/** `"strat" is not a /release command. Did you mean start? It takes …`. */
export function unknownVerb(
  command: string,
  verb: string,
  verbs: readonly string[],
  cut: (text: string) => string,
): string {
  const guess = closest(verb, verbs);
  const article = command === '/incident' ? 'an' : 'a';
  return `"${cut(verb)}" is not ${article} ${command} command.${guess ? ` Did you mean *${guess}*?` : ''} It takes ${verbs.join(', ')}.`;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const ok = (command: unknown): Parsed<unknown> => ({ ok: true, command });
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });
