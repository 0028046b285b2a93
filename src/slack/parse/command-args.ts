// The pieces every slash-command parser shares: the parse result, the runbook names a command may
// use, a leading service name, and the sentences for an unknown verb. Pure.
import type { Token } from './tokenize.ts';
import { closest } from '../../config/issues.ts';

export interface RunbookNames {
  services: readonly string[];
  environments: readonly string[];
}

export type Parsed<T> = { ok: true; command: T } | { ok: false; error: string };

/**
 * A leading service name, when the first word is one; otherwise none (the sole or active one is
 * meant). With several services, an unquoted first word that is no service is refused rather than
 * read as a reason: `/release abort paymnts` must not abort whichever release happens to be active.
 * `keywords` are words that may legitimately come first (`to` in rollback, `all` in freeze).
 */
export function optionalService(
  args: Token[],
  names: RunbookNames,
  keywords: readonly string[] = [],
): { ok: true; value?: string; rest: Token[] } | { ok: false; error: string } {
  const first = args[0];
  if (first && !first.quoted && names.services.includes(first.value))
    return { ok: true, value: first.value, rest: args.slice(1) };
  if (first && !first.quoted && names.services.length > 1 && !keywords.some((k) => isKeyword(first, k))) {
    const also = keywords.includes('all') ? ' or all' : '';
    return fail(
      `There is no service "${truncate(first.value)}" in the runbook; it has ${names.services.join(', ')}${also}. Put a reason after the service, or in quotes.`,
    );
  }
  return { ok: true, rest: args };
}

/**
 * `in <environment>` after the service (`/release pause checkout in staging`): which environment's
 * release is meant when the service runs in several. Only a runbook environment counts, so a reason
 * starting "in a hurry" stays a reason.
 */
export function optionalEnvironment(args: Token[], names: RunbookNames): { value?: string; rest: Token[] } {
  const env = args[1];
  if (isKeyword(args[0], 'in') && env && !env.quoted && names.environments.includes(env.value))
    return { value: env.value, rest: args.slice(2) };
  return { rest: args };
}

/**
 * True when the token is the keyword (`to`, `all`) as typed, in any case: the verb already is
 * (`/release START`), and a `TO staging` read as notes would release to the default environment.
 */
export function isKeyword(token: Token | undefined, word: string): boolean {
  return token !== undefined && !token.quoted && token.value.toLowerCase() === word;
}

export function joinText(tokens: Token[]): string {
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

export function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export const ok = (command: unknown): Parsed<unknown> => ({ ok: true, command });
export const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });
