// A GET for a gate reading with the gate's timeout (undici, gate-http.ts); failures become a sentence about the source.
import { formatDuration } from '../config/duration.ts';
import { displayUrl } from '../actions/http-attempt.ts';
import { gateHttpGet } from './gate-http.ts';

export type GateFetch = { ok: true; status: number; body: string } | { ok: false; error: string };

export async function gateGet(
  source: string,
  url: string,
  headers: Record<string, string> | undefined,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<GateFetch> {
  const result = await gateHttpGet(url, { Accept: 'application/json', ...headers }, timeoutMs, signal);
  if (result.kind === 'aborted') return { ok: false, error: 'cancelled' };
  if (result.kind === 'timed_out')
    return {
      ok: false,
      error: `${source} did not answer within ${formatDuration(timeoutMs)} (${displayUrl(url)})`,
    };
  if (result.kind === 'error')
    return { ok: false, error: `${source} unreachable at ${displayUrl(url)}: ${result.reason}` };
  return { ok: true, status: result.status, body: result.body };
}

/** The first line of a body, shortened, for an error message. */
export function snippet(body: string, max = 200): string {
  const line = body.trim().split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
