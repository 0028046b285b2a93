// Slack's error classification lives in src/slack: the notifier turns Slack's permanent refusals into
// the engine's neutral PermanentDeliveryError, and lets everything retryable through unchanged.
import { describe, expect, it } from 'vitest';
import { PermanentDeliveryError } from '../../../src/errors.ts';
import { MissingChannelError } from '../../../src/slack/channels.ts';
import { classifyDelivery, isPermanentSlackError, slackErrorCode } from '../../../src/slack/slack-errors.ts';

const platform = (error: string) =>
  Object.assign(new Error(`An API error occurred: ${error}`), {
    code: 'slack_webapi_platform_error',
    data: { ok: false, error },
  });

describe('which Slack errors retrying cannot fix', () => {
  it.each([
    ['channel_not_found', platform('channel_not_found'), true],
    ['is_archived', platform('is_archived'), true],
    ['not_in_channel', platform('not_in_channel'), true],
    ['a missing runbook channel', new MissingChannelError('#nope does not exist'), true],
    ['internal_error (Slack’s own trouble)', platform('internal_error'), false],
    ['ratelimited', platform('ratelimited'), false],
    ['a 503', Object.assign(new Error('503'), { code: 'slack_webapi_http_error', statusCode: 503 }), false],
    [
      'a 429',
      Object.assign(new Error('429'), { code: 'slack_webapi_rate_limited_error', retryAfter: 3 }),
      false,
    ],
    ['a network error', new Error('socket hang up'), false],
  ])('%s → permanent: %s', (_name, error, permanent) => {
    expect(isPermanentSlackError(error)).toBe(permanent);
  });

  it('reads the code of a platform error', () => {
    expect(slackErrorCode(platform('name_taken'))).toBe('name_taken');
    expect(slackErrorCode(new Error('x'))).toBeNull();
  });
});

describe('a delivery through classifyDelivery', () => {
  it('turns a permanent refusal into PermanentDeliveryError, keeping the cause', async () => {
    const cause = platform('is_archived');
    const failed = await classifyDelivery(() => Promise.reject(cause)).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(PermanentDeliveryError);
    expect((failed as PermanentDeliveryError).message).toContain('is_archived');
    expect((failed as PermanentDeliveryError).cause).toBe(cause);
  });

  it('lets a retryable error through as it is, and a success return its value', async () => {
    const outage = Object.assign(new Error('503'), { code: 'slack_webapi_http_error', statusCode: 503 });
    await expect(classifyDelivery(() => Promise.reject(outage))).rejects.toBe(outage);
    await expect(classifyDelivery(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
