import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import {
  webClientFor,
  expectSlackError,
  startFakeSlackWithClient,
  type FakeSlack,
} from '../../helpers/fake-slack.ts';

let slack: FakeSlack;
let client: WebClient;
beforeEach(async () => ({ slack, client } = await startFakeSlackWithClient()));
afterEach(() => slack.close());

describe('fault injection', () => {
  it('rate limits with 429 and Retry-After; WebClient waits it out and succeeds', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const retrying = webClientFor(slack, { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 } });
    const started = Date.now();
    const posted = await retrying.chat.postMessage({ channel: 'CRELEASES', text: 'after the limit' });
    const waited = Date.now() - started;
    expect(posted.ok).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(slack.calls('chat.postMessage').map((c) => [c.ok, c.error, c.fault])).toEqual([
      [false, 'ratelimited', { status: 429, retryAfter: 1 }],
      [true, undefined, undefined],
    ]);
    expect(slack.messages('CRELEASES').map((m) => m.text)).toEqual(['after the limit']);
  });

  it('answers 429 with Retry-After and {ok:false,error:"ratelimited"} on the wire', async () => {
    slack.failNext('auth.test', { status: 429, retryAfter: 7 });
    const response = await fetch(`${slack.apiUrl}auth.test`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${slack.botToken}` },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('rejects a rate-limited call when the client is told to', async () => {
    slack.failNext('chat.update', { status: 429, retryAfter: 30 });
    const impatient = webClientFor(slack, { rejectRateLimitedCalls: true });
    await expect(
      impatient.chat.update({ channel: 'CRELEASES', ts: '1.000001', text: 'x' }),
    ).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 30,
    });
  });

  it('answers 5xx, which WebClient retries', async () => {
    slack.failNext('chat.postMessage', { status: 503 }, 2);
    await expect(client.chat.postMessage({ channel: 'CRELEASES', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 503,
    });
    const retrying = webClientFor(slack, { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 } });
    expect((await retrying.chat.postMessage({ channel: 'CRELEASES', text: 'x' })).ok).toBe(true);
    expect(slack.calls('chat.postMessage').map((c) => c.fault)).toEqual([
      { status: 503 },
      { status: 503 },
      undefined,
    ]);
  });

  it('answers a given error with HTTP 200, then behaves again', async () => {
    slack.failNext('usergroups.users.list', { error: 'ratelimited' });
    await expectSlackError(client.usergroups.users.list({ usergroup: 'S0SRETEAM' }), 'ratelimited');
    expect((await client.usergroups.users.list({ usergroup: 'S0SRETEAM' })).users).toEqual([
      'UBOB',
      'UCAROL',
    ]);
  });
});

describe('the call log', () => {
  it('records each call with its parsed arguments, time and outcome', async () => {
    const before = Date.now();
    await client.chat.postMessage({ channel: 'CRELEASES', text: 'hi', blocks: [{ type: 'divider' }] });
    await expectSlackError(client.chat.postMessage({ channel: 'CNOPE', text: 'hi' }), 'channel_not_found');
    const [first, second] = slack.calls('chat.postMessage');
    expect(first).toMatchObject({
      method: 'chat.postMessage',
      ok: true,
      args: { channel: 'CRELEASES', text: 'hi' },
    });
    // Form bodies carry nested values as JSON strings, exactly as WebClient sent them.
    expect(JSON.parse(String(first?.args.blocks))).toEqual([{ type: 'divider' }]);
    expect(first?.at).toBeGreaterThanOrEqual(before);
    expect(second).toMatchObject({ ok: false, error: 'channel_not_found' });
    expect(slack.calls().length).toBe(2);
  });
});
