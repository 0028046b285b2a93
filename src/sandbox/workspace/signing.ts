// Slack's request signing: HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the app's signing secret, sent as
// `X-Slack-Signature: v0=<hex>` beside `X-Slack-Request-Timestamp` (unix seconds). Receivers refuse a
// timestamp more than five minutes away from their clock, which stops replays.
import { createHmac, timingSafeEqual } from 'node:crypto';

// A type alias, not an interface, so it can be spread into or passed as a Record<string, string>.
export type SignedHeaders = {
  'X-Slack-Signature': string;
  'X-Slack-Request-Timestamp': string;
};

export const MAX_SIGNATURE_AGE_SECONDS = 300;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function computeSignature(secret: string, body: string | Buffer, timestamp: number | string): string {
  const base = Buffer.concat([
    Buffer.from(`v0:${timestamp}:`),
    Buffer.isBuffer(body) ? body : Buffer.from(body),
  ]);
  return `v0=${createHmac('sha256', secret).update(base).digest('hex')}`;
}

export function signRequest(
  secret: string,
  body: string | Buffer,
  timestamp: number = nowSeconds(),
): SignedHeaders {
  return {
    'X-Slack-Signature': computeSignature(secret, body, timestamp),
    'X-Slack-Request-Timestamp': String(timestamp),
  };
}

export interface VerifyInput {
  signingSecret: string;
  body: string | Buffer;
  signature: string | undefined;
  timestamp: string | number | undefined;
  /** Unix seconds; defaults to the clock. */
  now?: number;
  maxAgeSeconds?: number;
}

export type VerifyResult =
  { ok: true } | { ok: false; reason: 'missing_headers' | 'stale_timestamp' | 'bad_signature' };

export function verifySlackSignature(input: VerifyInput): VerifyResult {
  const { signature, timestamp } = input;
  if (!signature || timestamp === undefined || timestamp === '')
    return { ok: false, reason: 'missing_headers' };
  const seconds = Number(timestamp);
  const now = input.now ?? nowSeconds();
  if (
    !Number.isInteger(seconds) ||
    Math.abs(now - seconds) > (input.maxAgeSeconds ?? MAX_SIGNATURE_AGE_SECONDS)
  ) {
    return { ok: false, reason: 'stale_timestamp' };
  }
  const expected = Buffer.from(computeSignature(input.signingSecret, input.body, seconds));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}
