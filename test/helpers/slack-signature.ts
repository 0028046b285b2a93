// Checks a Slack request signature the way receivers do, for tests that check what the workspace signs
// (Runway itself verifies with Bolt's receiver). A timestamp more than five minutes from the clock is
// refused, which stops replays.
import { timingSafeEqual } from 'node:crypto';
import { computeSignature, nowSeconds } from '../../src/sandbox/workspace/signing.ts';

export const MAX_SIGNATURE_AGE_SECONDS = 300;

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
