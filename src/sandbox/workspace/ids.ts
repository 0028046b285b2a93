// Identifiers in Slack's formats. Message timestamps double as message ids in Slack, so they must be
// unique and strictly increasing within the workspace even when two messages land in the same microsecond.
import { randomBytes } from 'node:crypto';

export type Clock = () => number;

export function createTsClock(now: Clock = Date.now): () => string {
  let lastMicros = 0;
  return () => {
    const micros = Math.max(now() * 1000, lastMicros + 1);
    lastMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `prefix` + 10 upper-case alphanumerics, like C07ABCDEF12 or F0123456789. */
export function newId(prefix: string, length = 10): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

/** Slack's trigger ids look like `13345224609.738474920.8088930838d88f008e0`. */
export function newTriggerId(): string {
  const digits = (n: number): string => String(Math.floor(Math.random() * 10 ** n)).padStart(n, '1');
  return `${digits(11)}.${digits(9)}.${randomBytes(11).toString('hex').slice(0, 21)}`;
}

export function newToken(bytes = 12): string {
  return randomBytes(bytes).toString('hex');
}

/** Orders Slack timestamps exactly (as numbers, microseconds would not survive double precision). */
export function compareTs(a: string, b: string): number {
  const micros = (ts: string): bigint => {
    const [seconds = '0', fraction = ''] = ts.replace(/[^0-9.]/g, '').split('.');
    return BigInt(seconds || '0') * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  };
  const difference = micros(a) - micros(b);
  return difference === 0n ? 0 : difference > 0n ? 1 : -1;
}
