// One HTTP request with axios, classified: a response (any status), a network error (retryable or
// not), or aborted by the caller. Nothing throws, so every action kind handles failures the same way.
import axios, { isAxiosError } from 'axios';
import { formatDuration } from '../config/duration.ts';
import { deadline } from './deadline.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  /** Sent byte for byte (signatures are computed over exactly these bytes). */
  body?: Buffer;
  /** For this one attempt, connect to last byte. */
  timeoutMs: number;
  /** The caller's stop signal; aborting it gives `aborted`, not an error. */
  signal?: AbortSignal;
}

export type HttpAttempt =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'error'; reason: string; retryable: boolean }
  | { kind: 'aborted' };

export async function httpAttempt(request: HttpRequest): Promise<HttpAttempt> {
  const limit = deadline(request.signal, request.timeoutMs);
  try {
    const response = await axios.request<string>({
      method: request.method,
      url: request.url,
      headers: request.headers,
      data: request.body,
      signal: limit.signal,
      responseType: 'text',
      transformResponse: [(data: unknown) => data], // keep the raw text; callers parse what they expect
      validateStatus: () => true,
    });
    return {
      kind: 'response',
      status: response.status,
      headers: flattenHeaders(response.headers),
      body: typeof response.data === 'string' ? response.data : '',
    };
  } catch (error) {
    const why = limit.reason();
    if (why === 'cancelled') return { kind: 'aborted' };
    if (why === 'timed_out')
      return {
        kind: 'error',
        reason: `timed out after ${formatDuration(request.timeoutMs)}`,
        retryable: true,
      };
    return { kind: 'error', ...describeNetworkError(error) };
  } finally {
    limit.dispose();
  }
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
  ECONNABORTED: 'connection aborted',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ERR_SOCKET_CONNECTION_TIMEOUT: 'connection timed out',
};

/** A reason a person understands, and whether another attempt may help. */
export function describeNetworkError(error: unknown): { reason: string; retryable: boolean } {
  const code = isAxiosError(error) ? error.code : (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && NETWORK_REASONS[code]) return { reason: NETWORK_REASONS[code], retryable: true };
  if (code === 'ERR_INVALID_URL' || (error instanceof TypeError && /invalid url/i.test(error.message))) {
    return { reason: 'invalid URL', retryable: false };
  }
  if (code === 'ERR_FR_TOO_MANY_REDIRECTS') return { reason: 'too many redirects', retryable: false };
  const message = error instanceof Error && error.message ? error.message : String(error);
  return { reason: code ? `${message} (${code})` : message, retryable: true };
}

function flattenHeaders(headers: object): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return flat;
}

/** The URL without query string and credentials, for summaries (queries often carry tokens). */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url.split('?')[0] ?? url;
  }
}
