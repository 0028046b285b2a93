// What a WebClient error means for delivery, pure. The delivery client neither retries nor waits by
// itself (retries: 0, rejectRateLimitedCalls), so every 429, 5xx and network error comes back here.
import type { SlackOutcome } from './types.ts';

/** Slack error codes that are Slack's own trouble, not the request's: worth trying again. */
const TRANSIENT_CODES = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** Of those, the ones Slack documents as "some aspect of the operation may have succeeded". */
const MAY_HAVE_TAKEN_CODES = new Set(['internal_error', 'fatal_error']);

export function outcomeOf(error: unknown): SlackOutcome {
  const e = (error ?? {}) as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: string; response_metadata?: { retryAfter?: number } };
    name?: string;
  };
  if (e.code === 'slack_webapi_rate_limited_error')
    return { type: 'rate_limited', retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000 };
  if (e.code === 'slack_webapi_http_error') {
    if (e.statusCode === 429) return { type: 'rate_limited', retryAfterMs: 1000 };
    const mayHaveTaken = (e.statusCode ?? 500) >= 500;
    return { type: 'transient', reason: `http_${e.statusCode ?? 'error'}`, mayHaveTaken };
  }
  if (e.code === 'slack_webapi_platform_error') {
    const code = e.data?.error ?? 'unknown_error';
    if (code === 'not_in_channel') return { type: 'not_in_channel' };
    // A wait, never a refusal, in either spelling: `ratelimited`, and chat.postMessage's documented
    // `rate_limited` ("posted too many messages"). With HTTP 200 a Retry-After still counts.
    if (code === 'ratelimited' || code === 'rate_limited')
      return {
        type: 'rate_limited',
        retryAfterMs: Math.max(1, e.data?.response_metadata?.retryAfter ?? 1) * 1000,
      };
    if (TRANSIENT_CODES.has(code))
      return { type: 'transient', reason: code, mayHaveTaken: MAY_HAVE_TAKEN_CODES.has(code) };
    return { type: 'permanent', code };
  }
  // Request errors (connection refused, reset, timeout) and anything unforeseen: try again. The
  // request may have reached Slack before the answer was lost.
  return { type: 'transient', reason: e.code ?? e.name ?? 'network', mayHaveTaken: true };
}

/** Backoff after transient failures in a row: 1 s doubling to 30 s. */
export function transientBackoffMs(failuresInARow: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, failuresInARow - 1));
}
