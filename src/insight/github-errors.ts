// How an insight job treats a failed GitHub request (pure): refused for good (a bad token scope, no
// such repository or ref: asking again gets the same answer), a rate limit to wait out (GitHub's docs,
// "Rate limits for the REST API": the primary limit answers 403 or 429 with x-ratelimit-remaining: 0
// until x-ratelimit-reset; a secondary limit answers 403 or 429 with retry-after, or a 403 that says
// "secondary rate limit"), or anything else, retried with the job's backoff.
import { parseRetryAfter } from '../actions/backoff.ts';

export type GithubFailure = { kind: 'refused' } | { kind: 'wait'; ms: number } | { kind: 'retry' };

/** GitHub asks for "at least one minute" after a secondary limit that names no time. */
const SECONDARY_WAIT_MS = 60_000;
/** A reset further away than this (a clock off, a wrong header) is not waited for in one go. */
export const MAX_WAIT_MS = 15 * 60_000;
const MIN_WAIT_MS = 1000;

interface RequestErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

export function githubFailure(error: unknown, nowMs: number): GithubFailure {
  const e = (error ?? {}) as RequestErrorLike;
  const status = e.status;
  if (typeof status !== 'number') return { kind: 'retry' };
  if (status === 403 || status === 429) {
    const wait = rateLimitWait(e, nowMs);
    if (wait !== null) return { kind: 'wait', ms: Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, wait)) };
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return { kind: 'refused' };
  return { kind: 'retry' };
}

/** How long a rate-limited answer asks to wait, or null when it is not a rate limit. */
function rateLimitWait(e: RequestErrorLike, nowMs: number): number | null {
  const headers = e.response?.headers ?? {};
  const header = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  const after = parseRetryAfter(header('retry-after'), nowMs);
  if (after !== null) return after;
  if (header('x-ratelimit-remaining') === '0') {
    const reset = Number(header('x-ratelimit-reset'));
    return Number.isFinite(reset) && reset > 0 ? reset * 1000 - nowMs : SECONDARY_WAIT_MS;
  }
  const data = e.response?.data as { message?: unknown } | undefined;
  const message = `${typeof data?.message === 'string' ? data.message : ''} ${String(e.message ?? '')}`;
  if (/secondary rate limit/i.test(message) || e.status === 429) return SECONDARY_WAIT_MS;
  return null;
}

/** The delay before an insight job's next attempt: a rate limit's wait, else exponential from 1 s. */
export function insightRetryDelay(attemptsMade: number, error: unknown): number {
  const exponential = 1000 * 2 ** Math.max(0, attemptsMade - 1);
  const wait = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof wait === 'number' ? wait : exponential;
}
