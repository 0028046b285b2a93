import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signRequest } from '../../../src/sandbox/workspace/signing.ts';
import { verifySlackSignature } from '../../helpers/slack-signature.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
  '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
  '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
  '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const TIMESTAMP = 1531420618;

describe('Slack request signing', () => {
  it("matches the worked example of Slack's documentation", () => {
    expect(signRequest(SECRET, BODY, TIMESTAMP)['X-Slack-Signature']).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('signs v0:<timestamp>:<body> with HMAC-SHA256 of the signing secret', () => {
    const expected = 'v0=' + createHmac('sha256', SECRET).update(`v0:${TIMESTAMP}:${BODY}`).digest('hex');
    expect(signRequest(SECRET, BODY, TIMESTAMP)).toEqual({
      'X-Slack-Signature': expected,
      'X-Slack-Request-Timestamp': String(TIMESTAMP),
    });
  });

  it('verifies its own signature within five minutes', () => {
    const headers = signRequest(SECRET, BODY, TIMESTAMP);
    const result = verifySlackSignature({
      signingSecret: SECRET,
      body: BODY,
      signature: headers['X-Slack-Signature'],
      timestamp: headers['X-Slack-Request-Timestamp'],
      now: TIMESTAMP + 299,
    });
    expect(result).toEqual({ ok: true });
  });

  it('refuses a stale timestamp, a forged signature, a changed body and missing headers', () => {
    const headers = signRequest(SECRET, BODY, TIMESTAMP);
    const base = { signingSecret: SECRET, body: BODY, timestamp: TIMESTAMP, now: TIMESTAMP };
    expect(
      verifySlackSignature({ ...base, signature: headers['X-Slack-Signature'], now: TIMESTAMP + 301 }),
    ).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    const forged = signRequest('another-secret', BODY, TIMESTAMP)['X-Slack-Signature'];
    expect(verifySlackSignature({ ...base, signature: forged })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(
      verifySlackSignature({ ...base, body: `${BODY}x`, signature: headers['X-Slack-Signature'] }),
    ).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifySlackSignature({ ...base, signature: undefined })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
  });
});
