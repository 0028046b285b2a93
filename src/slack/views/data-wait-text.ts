// The card's words for `no_data: wait` (SPEC section 10): "waiting for data from error_rate".
import type { GatePolicy, GateReading, Release, StageRun } from '../../release/types.ts';
import { gatesWithoutData, noDataFor, noDataTimeout } from '../../release/data-wait.ts';
import { formatDuration } from '../../config/duration.ts';
import { escapeMrkdwn } from '../blockkit.ts';

/** The current stage's note while a gate waits for data, or null. */
export function waitingForDataNote(r: Release, run: StageRun): string | null {
  const gates = gatesWithoutData(r);
  if (gates.length === 0) return null;
  const left =
    run.holdRemainingMs !== undefined ? `, ${formatDuration(run.holdRemainingMs)} left on the hold` : '';
  return `waiting for data from ${gates.map(escapeMrkdwn).join(', ')}${left}${r.state === 'paused' ? ' (paused)' : ''}`;
}

/** A `no_data: wait` gate's line while it has no data. */
export function waitingGateLine(
  name: string,
  why: string,
  bounds: string,
  policy: GatePolicy,
  reading: GateReading,
  now: Date,
): string {
  const waited = formatDuration(noDataFor(reading, now));
  return `${name} no data${why}, waiting for data for ${waited} (breach after ${formatDuration(noDataTimeout(policy))}; ${bounds}) ⏳`;
}
