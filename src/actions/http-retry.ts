// Retrying HTTP for webhooks and PagerDuty: network errors, attempt timeouts, 5xx and 429 are tried
// again with backoff (Retry-After wins when the server sends it); any other status is final.
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter, sleep, type BackoffPolicy } from './backoff.ts';
import { httpAttempt, type HttpRequest } from './http-attempt.ts';

export interface RetryOptions {
  /** Attempts after the first. */
  retries?: number;
  backoff?: BackoffPolicy;
  /** A longer Retry-After is cut to this, so one header cannot park a release for an hour. */
  maxRetryAfterMs?: number;
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

export type RetryOutcome =
  | { kind: 'expected'; status: number; body: string; attempts: number }
  | { kind: 'unexpected'; status: number; body: string; attempts: number; retryable: boolean }
  | { kind: 'error'; reason: string; attempts: number; retryable: boolean }
  | { kind: 'aborted'; attempts: number; lastBody?: string };

export interface RetryHooks {
  isExpected: (status: number) => boolean;
  /** Called before each wait, for logging. */
  onRetry?: (info: { attempt: number; delayMs: number; why: string }) => void;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export async function sendWithRetries(
  request: HttpRequest & { signal: AbortSignal },
  hooks: RetryHooks,
  options: RetryOptions = {},
): Promise<RetryOutcome> {
  const retries = options.retries ?? 3;
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const maxRetryAfter = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  let lastBody: string | undefined;

  for (let attempt = 1; ; attempt++) {
    const result = await httpAttempt(request);
    if (result.kind === 'aborted') return { kind: 'aborted', attempts: attempt, lastBody };

    let delayMs = backoffDelay(attempt - 1, policy);
    let why: string;
    if (result.kind === 'response') {
      lastBody = result.body;
      if (hooks.isExpected(result.status)) {
        return { kind: 'expected', status: result.status, body: result.body, attempts: attempt };
      }
      const retryable = isRetryableStatus(result.status);
      if (!retryable || attempt > retries) {
        return { kind: 'unexpected', status: result.status, body: result.body, attempts: attempt, retryable };
      }
      const retryAfter = parseRetryAfter(result.headers['retry-after']);
      if (retryAfter !== null) delayMs = Math.min(retryAfter, maxRetryAfter);
      why = `HTTP ${result.status}`;
    } else {
      if (!result.retryable || attempt > retries) {
        return { kind: 'error', reason: result.reason, attempts: attempt, retryable: result.retryable };
      }
      why = result.reason;
    }

    hooks.onRetry?.({ attempt, delayMs, why });
    try {
      await sleep(delayMs, request.signal);
    } catch {
      return { kind: 'aborted', attempts: attempt, lastBody };
    }
  }
}
