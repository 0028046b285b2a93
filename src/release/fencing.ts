// Staleness (fencing): does the release still wait for this job's result? One answer, used by the
// machine (a stale event is ignored), the step processor (a stale step does not run, and a running
// one is cancelled when the release moves on) and the timer processor (a stale gate job does not
// even query its metrics source).
import type { ActionPurpose, Release } from './types.ts';

/** The release waits for the result of the action run for this purpose. */
export function awaitsAction(r: Release, p: ActionPurpose): boolean {
  if (p.kind === 'stage') {
    const stage = r.stages[p.stageIndex];
    return (
      r.epoch === p.epoch &&
      r.stageIndex === p.stageIndex &&
      stage?.phase === 'action' &&
      stage.attempt === p.attempt &&
      (r.state === 'running' || r.state === 'paused')
    );
  }
  if (p.kind === 'preflight') {
    const item = r.preflight.find((i) => i.id === p.itemId);
    return r.state === 'preflight' && item?.status === 'running' && item.attempt === p.attempt;
  }
  return (
    r.state === 'rolling_back' &&
    r.rollback?.steps.some((s) => s.name === p.step && s.status === 'running') === true
  );
}

/** The release waits for this sample of a gate of its current stage. */
export function awaitsGateSample(r: Release, gate: string, epoch: number, seq: number): boolean {
  const plan = r.plan.stages[r.stageIndex];
  return (
    r.epoch === epoch &&
    r.gates[gate]?.seq === seq &&
    r.plan.gates[gate] !== undefined &&
    plan !== undefined &&
    plan.gates.includes(gate) &&
    (r.state === 'running' || r.state === 'paused')
  );
}

/** The release waits for this hold timer of its current stage. */
export function awaitsHoldEnd(r: Release, stageIndex: number, epoch: number, seq: number): boolean {
  const stage = r.stages[stageIndex];
  return (
    r.epoch === epoch &&
    r.stageIndex === stageIndex &&
    stage?.holdSeq === seq &&
    stage.phase === 'hold' &&
    stage.holdEndsAt !== undefined &&
    r.state === 'running'
  );
}
