// The release machine: (release, event, now) → new release + effects, or a refusal for the person.
// Pure: no Redis, no Slack, no clock, no processes. Every policy of SPEC section 4 and every stage
// kind of section 5 is decided here and in the files next to it, one concern each (preflight,
// stages, gate-step, controls, rollback, dry-run, start); the engine only stores the result and
// carries out the effects.
import type { DecideResult, Release, ReleaseEvent } from './types.ts';
import { done, type Draft, type Outcome } from './draft.ts';
import { copyData } from '../deep-freeze.ts';
import {
  onApproved,
  onPreflightChecked,
  onPreflightRerun,
  onPreflightTicked,
  onRejected,
} from './preflight.ts';
import { onActionFinished, onHoldElapsed } from './stages.ts';
import { onGateSampled } from './gate-step.ts';
import { onAbort, onPause, onPromote, onResume } from './controls.ts';
import { onRollbackRequested, onRollbackStepFinished } from './rollback.ts';
import { onPromotionLinked } from './promotion.ts';
import { onActionResumed } from './resumed.ts';

export { startRelease, startRollbackRelease, type StartInput } from './start.ts';
export { stageKey, stageLabel, templateVars } from './stage-plan.ts';
export { describeState } from './draft.ts';

export function decide(release: Release, event: ReleaseEvent, now: Date): DecideResult {
  // The plan is never changed after start: share it instead of copying it with the state.
  const { plan, ...state } = release;
  const d: Draft = { r: { ...copyData(state), plan }, fx: [], now };
  const result = apply(d, event);
  if (result === 'ignored') return { refused: false, release, effects: [] };
  if (typeof result === 'object') return result;
  return done(d);
}

/** True when the decision changed nothing (a stale job, a duplicate event). */
export function isNoop(before: Release, result: DecideResult): boolean {
  return !result.refused && result.release === before;
}

function apply(d: Draft, e: ReleaseEvent): Outcome {
  switch (e.type) {
    case 'preflightChecked':
      return onPreflightChecked(d, e);
    case 'preflightTicked':
      return onPreflightTicked(d, e);
    case 'preflightRerun':
      return onPreflightRerun(d, e.actor);
    case 'approved':
      return onApproved(d, e.actor);
    case 'rejected':
      return onRejected(d, e.actor, e.reason);
    case 'actionFinished':
      return onActionFinished(d, e);
    case 'gateSampled':
      return onGateSampled(d, e);
    case 'holdElapsed':
      return onHoldElapsed(d, e);
    case 'pauseRequested':
      return onPause(d, e.actor, e.reason);
    case 'resumeRequested':
      return onResume(d, e.actor);
    case 'abortRequested':
      return onAbort(d, e.actor, e.reason);
    case 'promoteRequested':
      return onPromote(d, e.actor, e.stageIndex);
    case 'rollbackRequested':
      return onRollbackRequested(d, e.actor, e.reason);
    case 'rollbackStepFinished':
      return onRollbackStepFinished(d, e);
    case 'cardPosted':
      // Where the card lives is state like any other, but nothing follows from it.
      if (d.r.card) return 'ignored';
      d.r.card = { channel: e.channel, ts: e.ts };
      return 'applied';
    case 'actionResumed':
      return onActionResumed(d, e);
    case 'promotionLinked':
      return onPromotionLinked(d, e);
  }
}
