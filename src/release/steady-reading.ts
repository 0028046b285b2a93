// A steady gate reading: a sample the machine would only record and re-arm. The gate is within bounds
// and was before (no breach, no missing data, no error), the release runs its stage's hold and the
// hold is not over: the decision (gate-step.ts) then changes the gate's reading and its seq, asks
// for a card edit and the next sample, and nothing else. The sampler takes this shortcut for most
// samples of a long hold (jobs/steady-sample.ts) instead of deciding and saving the whole state; the
// verdict is still evaluateSample's, and test/unit/release/steady-reading.test.ts checks the
// shortcut against decide() case by case. Pure.
import type { GateReading, Release } from './types.ts';
import { evaluateSample } from './gates.ts';
import { awaitsGateSample } from './fencing.ts';

export interface SteadySample {
  gate: string;
  epoch: number;
  seq: number;
  value: number | null;
  error?: string;
}

/**
 * The gate's new reading when this sample is steady (its seq unchanged: the same sample member is
 * armed again), or null when the machine has to decide on it.
 */
export function steadyReading(r: Release, s: SteadySample, now: Date): GateReading | null {
  if (r.state !== 'running' || !awaitsGateSample(r, s.gate, s.epoch, s.seq)) return null;
  const stage = r.stages[r.stageIndex];
  if (!stage || stage.status !== 'running' || stage.phase !== 'hold') return null;
  // The hold clock runs (a hold-end timer is armed: no `no_data: wait` gate lacks data, see
  // data-wait.ts syncHoldClock) and is not over: no stage ends and no clock changes on this sample.
  if (stage.holdElapsed || stage.holdEndsAt === undefined) return null;
  const previous = r.gates[s.gate];
  const policy = r.plan.gates[s.gate];
  if (!previous || !policy || !isQuiet(previous)) return null;
  const sample = { value: s.value, ...(s.error ? { error: s.error } : {}) };
  const verdict = evaluateSample(policy, previous, sample, now);
  if (verdict.reading.verdict !== 'ok' || verdict.breaching) return null;
  return verdict.reading;
}

/** Within bounds, sampled before, not in breach, not waiting for data. */
function isQuiet(reading: GateReading): boolean {
  return (
    reading.verdict === 'ok' &&
    reading.samples > 0 &&
    reading.breachSince === undefined &&
    reading.noDataSince === undefined &&
    reading.error === undefined
  );
}
