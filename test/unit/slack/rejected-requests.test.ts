import { describe, expect, it } from 'vitest';
import { rejectionReason } from '../../../src/slack/rejected-requests.ts';

describe('why Slack request was turned away (for its audit entry)', () => {
  const now = 1_800_000_000_000;
  const ts = (agoS: number) => String(Math.floor(now / 1000) - agoS);
  it.each([
    [{}, /^unsigned/],
    [{ 'x-slack-signature': 'v0=abc' }, /^unsigned/],
    [{ 'x-slack-signature': 'v0=abc', 'x-slack-request-timestamp': ts(600) }, /^stale/],
    [{ 'x-slack-signature': 'v0=abc', 'x-slack-request-timestamp': ts(-600) }, /^stale/],
    [{ 'x-slack-signature': 'v0=abc', 'x-slack-request-timestamp': ts(5) }, /^forged/],
  ])('%j', (headers, reason) => {
    expect(rejectionReason(headers, now)).toMatch(reason);
  });
});
