// `/release start [service] <version> [to <env>] [--dry-run] [--downgrade] [--hotfix "reason"]
// [notes…]` → the start command's fields, or a sentence saying what is wrong. Pure; the version is
// validated here, before it can reach any command line.
//
// Notes are free text (SPEC 2): the text as typed from the first word that is none of the above,
// trimmed, quotes, dashes and spacing kept. Options are read only before the notes; a known option
// written after them is refused, not kept as notes: a misplaced --dry-run must not start a real release.
import { validateVersion } from '../../config/version.ts';
import { UNCLOSED_QUOTE, type Token } from './tokenize.ts';
import { fail, isKeyword, ok, truncate, type Parsed, type RunbookNames } from './command-args.ts';

/** `input` is the text `args` index (Token.start), for the notes as typed. */
export function buildStart(args: Token[], names: RunbookNames, input: string): Parsed<unknown> {
  let rest = args;
  let service: string | undefined;
  const first = rest[0];
  if (first && !first.quoted && names.services.includes(first.value)) {
    service = first.value;
    rest = rest.slice(1);
  }
  const versionToken = rest[0];
  if (versionToken?.unclosed) return fail(UNCLOSED_QUOTE);
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
  let notes = '';
  for (let i = 0; i < rest.length; i++) {
    const token = asOption(rest[i]!);
    if (isKeyword(token, 'to') && environment === undefined) {
      const env = rest[i + 1];
      if (!env)
        return fail('Say which environment after "to": /release start <service> <version> to <environment>.');
      if (env.unclosed) return fail(UNCLOSED_QUOTE);
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
      if (reason?.unclosed) return fail(UNCLOSED_QUOTE);
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
      notes = input.slice(token.start).trim();
      break;
    }
  }
  // A flag typed after the notes is still honoured (a misplaced --dry-run must never start a real
  // release) and left out of them; a late --hotfix, which needs its reason, is refused.
  notes = notes.replace(LATE_FLAG, (_word, flag: string) => {
    if (flag === 'dry-run') dryRun = true;
    else downgrade = true;
    return '';
  });
  notes = notes.trim();
  if (LATE_HOTFIX.test(notes))
    return fail(
      'Options go before the notes: /release start [service] <version> [to <env>] [--dry-run] [--downgrade] [--hotfix "reason"] [notes…].',
    );
  return ok({
    verb: 'start',
    ...(service ? { service } : {}),
    version: version.version,
    ...(environment ? { environment } : {}),
    dryRun,
    ...(downgrade ? { downgrade } : {}),
    ...(hotfix ? { hotfix } : {}),
    ...(notes ? { notes } : {}),
  });
}

const OPTIONS = ['--dry-run', '--downgrade', '--hotfix'];

/** A flag or --hotfix as a word of its own, with two hyphens or a smart dash (see asOption). */
const LATE_FLAG = /(?:^|\s+)(?:--|[\u2013\u2014])(dry-run|downgrade)(?=\s|$)/g;
const LATE_HOTFIX = /(?:^|\s)(?:--|[\u2013\u2014])hotfix(?=\s|$)/;

/**
 * macOS and iOS Slack clients turn a typed `--` into an em dash (or an en dash) the way they curl
 * quotes: `—dry-run` is the option as typed, not a note. Taken as notes it would start a real release.
 * Only the known option names are read this way; any other word keeps its dash.
 */
function asOption(token: Token): Token {
  if (token.quoted || !/^[\u2013\u2014]/.test(token.value)) return token;
  const option = `--${token.value.slice(1)}`;
  return OPTIONS.includes(option) ? { ...token, value: option } : token;
}
