// Webhook signatures. The receiver verifies:
//
//   X-Runway-Signature: sha256=<lowercase hex of HMAC-SHA256(key = secret, message = raw body bytes)>
//
// Only the exact body bytes are signed (no timestamp in the signed string), so a receiver can verify
// with one line in any language. X-Runway-Timestamp (unix seconds) is sent beside it, unsigned, for
// receivers that want to log or reject very old deliveries; replays are recognised by Idempotency-Key.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check of a signature header against the body (for tests and receivers). */
export function verifySignature(secret: string, body: Buffer | string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
