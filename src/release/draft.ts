// The shared helpers of the machine's parts: a draft being decided, and what every part adds to it
// (effects, audit entries, thread notes, the end of a release).
import type {
  ActionExit,
  ActionOutput,
  Decision,
  Effect,
  Refusal,
  Release,
  ReleaseState,
  StageRun,
} from './types.ts';
import type { ThreadNote } from './notes.ts';
import type { RefusalCode } from '../errors.ts';

/** A draft being decided: the copy of the release, the effects so far and the time. */
export interface Draft {
  r: Release;
  fx: Effect[];
  now: Date;
}

/** What handling one event came to: a change, nothing (stale or duplicate), or a refusal. */
export type Outcome = 'applied' | 'ignored' | Refusal;

export const refuse = (code: RefusalCode, reason: string): Refusal => ({ refused: true, code, reason });

export function note(d: Draft, n: ThreadNote): void {
  d.fx.push({ type: 'postInThread', note: n });
}

export function audit(d: Draft, action: string, actor: string, details?: Record<string, unknown>): void {
  const clean = details
    ? Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined))
    : undefined;
  d.fx.push({
    type: 'audit',
    action,
    actor,
    ...(clean && Object.keys(clean).length ? { details: clean } : {}),
  });
}

/** An action's output as the flat fields of an audit entry or a thread note: `detail` (summary) and `tail`. */
export function outputFields(output?: ActionOutput): { detail?: string; tail?: string } {
  if (!output) return {};
  return { detail: output.summary, ...(output.tail !== undefined ? { tail: output.tail } : {}) };
}

/** How an action ended, as the audit entry's `exitCode` and `timedOut` (never put in thread notes). */
export function exitFields(exit?: ActionExit): ActionExit {
  return {
    ...(exit?.exitCode !== undefined ? { exitCode: exit.exitCode } : {}),
    ...(exit?.timedOut !== undefined ? { timedOut: exit.timedOut } : {}),
  };
}

export function done(d: Draft): Decision {
  d.r.updatedAt = d.now.toISOString();
  // Several transitions in one decision each ask for a card update; one is enough.
  const seen = new Set<string>();
  const effects = d.fx.filter((fx) => {
    if (fx.type !== 'updateCard' && fx.type !== 'releaseLock') return true;
    if (seen.has(fx.type)) return false;
    seen.add(fx.type);
    return true;
  });
  return { refused: false, release: d.r, effects };
}

/** Ends the release in a final state: fences every job, frees the lock, updates the card. */
export function finish(d: Draft, state: ReleaseState, outcome: string): void {
  const r = d.r;
  r.state = state;
  r.outcome = outcome;
  r.endedAt = d.now.toISOString();
  r.epoch += 1;
  delete r.pause;
  const stage = r.stages[r.stageIndex];
  if (stage?.status === 'running') {
    // Callers that cut a stage short (abort, rollback) mark it first; this is the fallback.
    stage.status = state === 'completed' ? 'done' : 'failed';
    endStage(d, stage);
  }
  for (const s of r.stages) if (s.status === 'waiting') s.status = 'skipped';
  if (!r.dryRun) d.fx.push({ type: 'releaseLock' });
  d.fx.push({ type: 'updateCard' });
}

/** The timers and phase of a stage that is over, whatever ended it. */
export function endStage(d: Draft, stage: StageRun): void {
  stage.endedAt = d.now.toISOString();
  delete stage.phase;
  delete stage.holdEndsAt;
  delete stage.holdRemainingMs;
}

/**
 * A person stopped the running stage (abort, manual rollback): it did not fail, it was cut short, so
 * it is marked skipped with who stopped it and why, not failed with its action's last output.
 */
export function stopRunningStage(d: Draft, stopped: NonNullable<StageRun['stopped']>): void {
  const stage = d.r.stages[d.r.stageIndex];
  if (!stage || stage.status !== 'running') return;
  stage.status = 'skipped';
  stage.stopped = stopped;
  delete stage.detail;
  endStage(d, stage);
}

export function describeState(state: ReleaseState): string {
  const words: Record<ReleaseState, string> = {
    preflight: 'in pre-flight',
    awaiting_approval: 'waiting for approval',
    running: 'running',
    paused: 'paused',
    rolling_back: 'rolling back',
    completed: 'completed',
    rolled_back: 'rolled back',
    rejected: 'rejected',
    aborted: 'aborted',
    failed: 'failed',
  };
  return words[state];
}
