// Slack's request signing, as the workspace signs what it sends the app: HMAC-SHA256 of
// `v0:<timestamp>:<raw body>` with the app's signing secret, sent as `X-Slack-Signature: v0=<hex>` beside
// `X-Slack-Request-Timestamp` (unix seconds). The bot verifies with Bolt; the tests' own verifier is in
// test/helpers/slack-signature.ts.
import { createHmac } from 'node:crypto';

// A type alias, not an interface, so it can be spread into or passed as a Record<string, string>.
export type SignedHeaders = {
  'X-Slack-Signature': string;
  'X-Slack-Request-Timestamp': string;
};

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
