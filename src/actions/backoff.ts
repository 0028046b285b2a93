// Exponential backoff with jitter, Retry-After, and a sleep that stops when its signal aborts.

export interface BackoffPolicy {
  /** First delay before jitter, in ms. */
  baseMs: number;
  /** Largest delay before jitter, in ms. */
  capMs: number;
  /** 0 ≤ random() < 1; injectable so tests can pin the jitter. */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 10_000 };

/**
 * Delay before retry number `retry` (0 for the first retry): base·2^retry capped, then "equal
 * jitter" — a random point in the upper half — so callers that fail together do not retry together
 * yet still wait at least half the nominal delay.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const nominal = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry));
  const random = policy.random ?? Math.random;
  return Math.round(nominal / 2 + (random() * nominal) / 2);
}

/** Retry-After as ms: delta-seconds or an HTTP date. Null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined | null, now: number = Date.now()): number | null {
  if (value === undefined || value === null) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

export class AbortedError extends Error {
  constructor() {
    super('aborted');
  }
}

/** Wait ms, or reject with AbortedError as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
