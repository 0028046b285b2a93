// The HTTP client of prometheus and http gates: undici over one keep-alive pool per process (a
// thousand releases sampled every second reuse a few sockets instead of opening one per sample).
// Like axios before it, it honours HTTP(S)_PROXY / NO_PROXY and follows up to five redirects.
import { EnvHttpProxyAgent, interceptors, request, type Dispatcher } from 'undici';
import { describeNetworkError } from '../actions/http-attempt.ts';
import { deadline } from '../actions/deadline.ts';

export type GateHttpResult =
  | { kind: 'response'; status: number; body: string }
  | { kind: 'timed_out' }
  | { kind: 'aborted' }
  | { kind: 'error'; reason: string };

let pooled: Dispatcher | undefined;
let fresh: Dispatcher | undefined;

/** The process's gate pool; the bench's bare sampler uses the same one. */
export function gateDispatcher(): Dispatcher {
  // Idle sockets retire well before the server's keep-alive hint (undici subtracts the threshold),
  // which narrows the race below; it cannot close it (a busy process notices a close late).
  pooled ??= new EnvHttpProxyAgent({
    keepAliveTimeout: 4_000,
    keepAliveTimeoutThreshold: 2_000,
    connections: null,
  }).compose(interceptors.redirect({ maxRedirections: 5 }));
  return pooled;
}

/** A new connection per request (pipelining 0 keeps none alive): the retry of a cut-off GET. */
function freshDispatcher(): Dispatcher {
  fresh ??= new EnvHttpProxyAgent({ pipelining: 0 }).compose(interceptors.redirect({ maxRedirections: 5 }));
  return fresh;
}

/** Errors that mean "the connection died before an answer" rather than "the target said no". */
const CUT_OFF = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** One GET within `timeoutMs` (connect to last byte), retried once when the connection was cut off. */
export async function gateHttpGet(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<GateHttpResult> {
  const limit = deadline(signal, timeoutMs);
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await request(url, {
          method: 'GET',
          headers,
          signal: limit.signal,
          dispatcher: attempt === 1 ? gateDispatcher() : freshDispatcher(),
        });
        return { kind: 'response', status: response.statusCode, body: await response.body.text() };
      } catch (error) {
        const why = limit.reason();
        if (why === 'cancelled') return { kind: 'aborted' };
        if (why === 'timed_out') return { kind: 'timed_out' };
        // A kept-alive socket the server closed as idle just as we reused it: the server never saw
        // this GET, so one more on a new connection (other pooled sockets may be just as stale) is
        // safe (GET is idempotent) and tells the target's answer apart from our stale socket.
        if (attempt === 1 && CUT_OFF.has(errorCode(error))) continue;
        return { kind: 'error', reason: reasonOf(error) };
      }
    }
  } finally {
    limit.dispose();
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** The same sentences as the axios client gave ("connection refused", "connection reset"). */
function reasonOf(error: unknown): string {
  const code = errorCode(error);
  if (code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connection timed out';
  if (code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_URL') return 'invalid URL';
  if (code === 'UND_ERR_MAX_REDIRECTIONS' || /redirect/i.test(String((error as Error)?.message)))
    return 'too many redirects';
  return describeNetworkError(error).reason;
}
