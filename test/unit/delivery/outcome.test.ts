import { describe, expect, it } from 'vitest';
import { outcomeOf, transientBackoffMs } from '../../../src/slack/delivery/outcome.ts';
import { readingsGapMs } from '../../../src/slack/delivery/cards.ts';
import { noteKind } from '../../../src/slack/delivery/note-kind.ts';
import type { PostKind } from '../../../src/slack/delivery/types.ts';
import type { ThreadNote } from '../../../src/release/notes.ts';
import { RateLimiter } from '../../../src/sandbox/workspace/rate-limits.ts';

const platform = (error: string) => ({ code: 'slack_webapi_platform_error', data: { ok: false, error } });

describe('what Slack’s answer means for delivery', () => {
  it.each([
    [
      { code: 'slack_webapi_rate_limited_error', retryAfter: 7 },
      { type: 'rate_limited', retryAfterMs: 7000 },
    ],
    [
      { code: 'slack_webapi_http_error', statusCode: 503 },
      { type: 'transient', reason: 'http_503', mayHaveTaken: true },
    ],
    [
      { code: 'slack_webapi_request_error' },
      { type: 'transient', reason: 'slack_webapi_request_error', mayHaveTaken: true },
    ],
    [new Error('socket hang up'), { type: 'transient', reason: 'Error', mayHaveTaken: true }],
    // Slack documents that with these "some aspect of the operation may have succeeded".
    [platform('internal_error'), { type: 'transient', reason: 'internal_error', mayHaveTaken: true }],
    [platform('fatal_error'), { type: 'transient', reason: 'fatal_error', mayHaveTaken: true }],
    // An answer that says Slack did not act: a retry need not look for the post.
    [
      platform('service_unavailable'),
      { type: 'transient', reason: 'service_unavailable', mayHaveTaken: false },
    ],
    [
      { code: 'slack_webapi_http_error', statusCode: 429 },
      { type: 'rate_limited', retryAfterMs: 1000 },
    ],
    [platform('ratelimited'), { type: 'rate_limited', retryAfterMs: 1000 }],
    // chat.postMessage's documented "posted too many messages": a wait, not a refusal.
    [platform('rate_limited'), { type: 'rate_limited', retryAfterMs: 1000 }],
    [
      {
        ...platform('ratelimited'),
        data: { ok: false, error: 'ratelimited', response_metadata: { retryAfter: 9 } },
      },
      { type: 'rate_limited', retryAfterMs: 9000 },
    ],
    [platform('not_in_channel'), { type: 'not_in_channel' }],
    [platform('is_archived'), { type: 'permanent', code: 'is_archived' }],
    [platform('channel_not_found'), { type: 'permanent', code: 'channel_not_found' }],
    [platform('invalid_auth'), { type: 'permanent', code: 'invalid_auth' }],
  ])('%j → %j', (error, outcome) => {
    expect(outcomeOf(error)).toEqual(outcome);
  });

  it('backs off 1 s doubling to 30 s after failures in a row', () => {
    expect([1, 2, 3, 5, 6, 20].map(transientBackoffMs)).toEqual([1000, 2000, 4000, 16000, 30000, 30000]);
  });
});

describe('the readings refresh of a card under the workspace budget', () => {
  it.each([
    [1, 45, 1334],
    [10, 45, 13334],
    [45, 45, 60000],
    [2, 600, 1000],
  ])(
    '%i cards sharing %i edits a minute: each card’s readings every %i ms, never more often than 1 s',
    (n, per, gap) => {
      expect(readingsGapMs(n, per)).toBe(gap);
    },
  );
});

describe('which thread notes may fold', () => {
  it.each<[ThreadNote, PostKind]>([
    [{ kind: 'stageStarted', stage: 2, total: 3, label: '50% for 2s' }, 'routine'],
    [{ kind: 'stageSucceeded', stage: 2, total: 3, label: '50% for 2s', readings: [] }, 'routine'],
    [
      {
        kind: 'releaseStarted',
        requester: 'UALICE',
        service: 'checkout',
        version: 'v1.2.3',
        environment: 'production',
      },
      'routine',
    ],
    [{ kind: 'released', service: 'checkout', version: 'v1.2.3', environment: 'production' }, 'routine'],
    [{ kind: 'preflightComplete' }, 'routine'],
    [
      { kind: 'gateBreached', gate: 'error_rate', reading: '2% > 1%', forMs: 0, then: 'rollback' },
      'important',
    ],
    [{ kind: 'rolledBack', toVersion: 'v1.2.2', reason: 'error_rate' }, 'important'],
    [
      { kind: 'rollbackStarted', automatic: true, by: 'runway', toVersion: 'v1.2.2', reason: 'x' },
      'important',
    ],
    [{ kind: 'approved', by: 'UBOB', count: 1, required: 2 }, 'important'],
    [{ kind: 'rejected', by: 'UBOB' }, 'important'],
    [{ kind: 'actionFailed', action: 'deploy', stage: 1, label: '10%', summary: 'exit 1' }, 'important'],
    [{ kind: 'paused', by: 'UBOB' }, 'important'],
    [{ kind: 'aborted', by: 'UBOB', traffic: 0 }, 'important'],
  ])('%j → %s', (note, kind) => {
    expect(noteKind(note)).toBe(kind);
  });
});

describe('the workspace fake’s rate limits', () => {
  it('lets a burst of posts through per channel, then answers Retry-After; other channels are not affected', () => {
    let now = 0;
    const limiter = new RateLimiter(
      { postPerSecond: 1, postBurst: 4, tier3PerMinute: 50, tier3Burst: 10 },
      () => now,
    );
    expect([1, 2, 3, 4].map(() => limiter.check('chat.postMessage', 'C1'))).toEqual([null, null, null, null]);
    expect(limiter.check('chat.postMessage', 'C1')).toBe(1);
    expect(limiter.check('chat.postMessage', 'C2')).toBeNull();
    now = 1000;
    expect(limiter.check('chat.postMessage', 'C1')).toBeNull();
  });

  it('shares one Tier 3 budget across the workspace for chat.update', () => {
    const limiter = new RateLimiter(
      { postPerSecond: 1, postBurst: 4, tier3PerMinute: 60, tier3Burst: 2 },
      () => 0,
    );
    expect(limiter.check('chat.update', 'C1')).toBeNull();
    expect(limiter.check('chat.update', 'C2')).toBeNull();
    expect(limiter.check('chat.update', 'C3')).toBe(1);
    expect(limiter.check('views.open', undefined)).toBeNull();
  });
});
