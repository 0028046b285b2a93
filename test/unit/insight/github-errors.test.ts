import { describe, expect, it } from 'vitest';
import { githubFailure, insightRetryDelay, MAX_WAIT_MS } from '../../../src/insight/github-errors.ts';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const answer = (status: number, headers: Record<string, string> = {}, message = 'Forbidden') =>
  Object.assign(new Error(message), { status, response: { headers, data: { message } } });

describe('a failed GitHub request in an insight job', () => {
  it.each<[string, unknown, ReturnType<typeof githubFailure>]>([
    [
      'the primary rate limit (403, remaining 0): until the reset',
      answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 90) }),
      { kind: 'wait', ms: 90_000 },
    ],
    [
      'the primary rate limit as 429',
      answer(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 5) }),
      { kind: 'wait', ms: 5000 },
    ],
    [
      'a secondary rate limit with retry-after',
      answer(403, { 'retry-after': '30' }, 'You have exceeded a secondary rate limit'),
      { kind: 'wait', ms: 30_000 },
    ],
    [
      'a secondary rate limit named only in its message: a minute',
      answer(403, {}, 'You have exceeded a secondary rate limit. Please wait a few minutes'),
      { kind: 'wait', ms: 60_000 },
    ],
    ['a 429 that names no time: a minute', answer(429), { kind: 'wait', ms: 60_000 }],
    [
      'a reset an hour away: capped',
      answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 3600) }),
      { kind: 'wait', ms: MAX_WAIT_MS },
    ],
    [
      'a reset already past: a second',
      answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 - 10) }),
      { kind: 'wait', ms: 1000 },
    ],
    [
      'a 403 with requests left (the token lacks a scope): refused',
      answer(403, { 'x-ratelimit-remaining': '4990' }, 'Resource not accessible by integration'),
      { kind: 'refused' },
    ],
    ['a 404 (no such repository)', answer(404, {}, 'Not Found'), { kind: 'refused' }],
    ['a 422 (no such ref)', answer(422, {}, 'No ref found for: v9'), { kind: 'refused' }],
    ['a 408', answer(408), { kind: 'retry' }],
    ['a 502', answer(502, {}, 'Bad Gateway'), { kind: 'retry' }],
    ['no answer at all (a timeout)', new Error('fetch failed'), { kind: 'retry' }],
  ])('%s', (_what, error, expected) => {
    expect(githubFailure(error, NOW)).toEqual(expected);
  });

  it('waits as long as GitHub asked before the next attempt, else backs off from 1 s', () => {
    expect(insightRetryDelay(3, Object.assign(new Error('x'), { retryAfterMs: 42_000 }))).toBe(42_000);
    expect([1, 2, 3].map((n) => insightRetryDelay(n, new Error('x')))).toEqual([1000, 2000, 4000]);
  });
});
