// The shared "no data, because …" result of every gate source, and the deadline SDK-based sources
// share: the caller's signal (a rollback) or the gate's timeout stops the call, and says which.
import { formatDuration } from '../config/duration.ts';
import { deadline } from '../actions/deadline.ts';
import { scrubberFor } from '../actions/scrub.ts';
import type { GateSample } from './types.ts';

export function noData(reason: string): GateSample {
  return { value: null, error: reason };
}

/** A sample whose reason is scrubbed of the source's own credentials and the registered secrets. */
export function scrubbed(sample: GateSample, credentials: (string | undefined)[]): GateSample {
  if (sample.error === undefined) return sample;
  return { value: sample.value, error: scrubberFor(...credentials)(sample.error) };
}

/**
 * Runs `call` with a signal that aborts on the caller's signal or after `timeoutMs`. A call that
 * throws because of either becomes "cancelled" / "<source> did not answer within …"; any other
 * error is given to `describe`, whose sentence becomes the no-data reason.
 */
export async function withDeadline(
  source: string,
  timeoutMs: number,
  parent: AbortSignal | undefined,
  call: (signal: AbortSignal) => Promise<GateSample>,
  describe: (error: unknown) => string,
): Promise<GateSample> {
  const limit = deadline(parent, timeoutMs);
  try {
    return await call(limit.signal);
  } catch (error) {
    const why = limit.reason();
    if (why === 'cancelled') return noData('cancelled');
    if (why === 'timed_out') return noData(`${source} did not answer within ${formatDuration(timeoutMs)}`);
    return noData(describe(error));
  } finally {
    limit.dispose();
  }
}
