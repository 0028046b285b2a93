// `no_data: wait` (SPEC section 10): while a gate of the current stage has no data, the stage's hold
// clock stops (like a pause, but nobody pressed anything); it restarts when data returns; after
// `no_data_timeout` with no data the gate is in breach, and says so. Pure: the clock is `d.now`.
import type { GatePolicy, GateReading, Release, StageRun } from './types.ts';
import type { Draft } from './draft.ts';
import { startHoldTimer } from './stages.ts';

export const DEFAULT_NO_DATA_TIMEOUT_MS = 10 * 60_000;

export function noDataTimeout(policy: GatePolicy): number {
  return policy.noDataTimeoutMs ?? DEFAULT_NO_DATA_TIMEOUT_MS;
}

/** The current stage's `no_data: wait` gates that have no data now. */
export function gatesWithoutData(r: Release): string[] {
  const plan = r.plan.stages[r.stageIndex];
  if (!plan) return [];
  return plan.gates.filter(
    (g) => r.plan.gates[g]?.noData === 'wait' && r.gates[g]?.noDataSince !== undefined,
  );
}

/** What a sample changed for a `no_data: wait` gate. */
export type DataChange = 'lost' | 'returned' | 'timed_out' | null;

/**
 * Records the sample just stored in `d.r.gates[gate]` against the one before: when the gate's data
 * went missing, came back, or has been missing for `no_data_timeout` (on every sample past it).
 */
export function trackNoData(
  d: Draft,
  gate: string,
  policy: GatePolicy,
  previous: GateReading | undefined,
): DataChange {
  const reading = d.r.gates[gate];
  if (policy.noData !== 'wait' || !reading) return null;
  if (reading.value !== null) return previous?.noDataSince ? 'returned' : null;
  const since = previous?.noDataSince ?? d.now.toISOString();
  reading.noDataSince = since;
  if (!previous?.noDataSince) return 'lost';
  // Past the timeout every sample without data is a breach, as each sample of a sustained breach is:
  // while paused under on_breach: pause it changes nothing, and after a resume it pauses again
  // (reporting it only once left a resumed release waiting for data for ever, with no breach).
  return d.now.getTime() - Date.parse(since) >= noDataTimeout(policy) ? 'timed_out' : null;
}

/** How long the gate has had no data, at `now`. */
export function noDataFor(reading: GateReading, now: Date): number {
  return reading.noDataSince ? Math.max(0, now.getTime() - Date.parse(reading.noDataSince)) : 0;
}

function stopHoldClock(stage: StageRun, now: Date): void {
  if (!stage.holdEndsAt) return;
  stage.holdRemainingMs = Math.max(0, Date.parse(stage.holdEndsAt) - now.getTime());
  delete stage.holdEndsAt;
  stage.holdSeq += 1; // the pending hold-end job no longer counts
}

/**
 * The hold clock runs only while the release runs and every `no_data: wait` gate has data: stop it
 * or start it again (with what was left) to match. Pause and resume go through here too.
 */
export function syncHoldClock(d: Draft): void {
  const r = d.r;
  const stage = r.stages[r.stageIndex];
  if (!stage || stage.status !== 'running' || stage.phase !== 'hold' || stage.holdElapsed) return;
  const run = r.state === 'running' && gatesWithoutData(r).length === 0;
  if (!run) {
    stopHoldClock(stage, d.now);
    return;
  }
  if (stage.holdEndsAt || stage.holdRemainingMs === undefined) return;
  if (stage.holdRemainingMs > 0) {
    startHoldTimer(d, r.stageIndex, stage.holdRemainingMs);
  } else {
    delete stage.holdRemainingMs;
    stage.holdElapsed = true;
  }
}
