// People's commands on a running release: pause, resume, promote, abort.
import type { Actor } from './types.ts';
import { FINAL_STATES } from './types.ts';
import { operateRefusal } from './policy.ts';
import { person } from './person.ts';
import {
  audit,
  describeState,
  finish,
  note,
  refuse,
  stopRunningStage,
  type Draft,
  type Outcome,
} from './draft.ts';
import { stageKey, stageLabel } from './stage-plan.ts';
import { finishStage, maybeFinishStage, runStageAction } from './stages.ts';
import { syncHoldClock } from './data-wait.ts';
import { cancelPreflight } from './preflight.ts';

export function pause(d: Draft, by: string, reason: string): void {
  const r = d.r;
  r.state = 'paused';
  r.pause = { by, at: d.now.toISOString(), reason };
  const stage = r.stages[r.stageIndex];
  if (stage?.holdEndsAt) {
    stage.holdRemainingMs = Math.max(0, Date.parse(stage.holdEndsAt) - d.now.getTime());
    delete stage.holdEndsAt;
    stage.holdSeq += 1; // the pending hold-end job no longer counts
  }
  audit(d, 'release.paused', by, { reason });
  d.fx.push({ type: 'updateCard' });
}

export function onPause(d: Draft, actor: Actor, reason?: string): Outcome {
  const r = d.r;
  if (r.state === 'paused') return refuse('already_done', 'This release is already paused.');
  if (r.state !== 'running')
    return refuse(
      'wrong_state',
      `This release is ${describeState(r.state)}; only a running release can be paused.`,
    );
  const denied = operateRefusal(r.plan, r, actor, 'pause');
  if (denied) return refuse('not_allowed', denied);
  pause(d, actor.user, reason?.trim() || `paused by ${person(actor.user)}`);
  note(d, { kind: 'paused', by: actor.user, ...(reason ? { reason } : {}) });
  return 'applied';
}

export function onResume(d: Draft, actor: Actor): Outcome {
  const r = d.r;
  if (r.state !== 'paused')
    return refuse('wrong_state', `This release is ${describeState(r.state)}, not paused.`);
  const denied = operateRefusal(r.plan, r, actor, 'resume');
  if (denied) return refuse('not_allowed', denied);
  r.state = 'running';
  delete r.pause;
  audit(d, 'release.resumed', actor.user);
  note(d, { kind: 'resumed', by: actor.user });
  d.fx.push({ type: 'updateCard' });
  const stage = r.stages[r.stageIndex];
  if (!stage) return 'applied';
  if (stage.status === 'failed') {
    // The stage's action failed and the runbook said pause: resuming tries the stage again.
    stage.status = 'running';
    delete stage.detail;
    delete stage.endedAt;
    r.epoch += 1;
    runStageAction(d, r.stageIndex);
    return 'applied';
  }
  // The hold clock restarts, unless a `no_data: wait` gate still has no data.
  syncHoldClock(d);
  maybeFinishStage(d, false);
  return 'applied';
}

export function onPromote(d: Draft, actor: Actor, seenStage?: number): Outcome {
  const r = d.r;
  if (r.state === 'paused')
    return refuse('wrong_state', 'This release is paused; resume it before promoting.');
  if (r.state !== 'running')
    return refuse('wrong_state', `This release is ${describeState(r.state)}; there is nothing to promote.`);
  const denied = operateRefusal(r.plan, r, actor, 'promote');
  if (denied) return refuse('not_allowed', denied);
  // A second click (or a click on an older card) must not skip the stage after the one it was for.
  if (seenStage !== undefined && seenStage !== r.stageIndex) {
    return refuse(
      'stale_request',
      `Stage ${seenStage + 1} was already promoted; the release is at stage ${r.stageIndex + 1} (${stageLabel(r.plan.stages[r.stageIndex]!)}). Nothing was changed.`,
    );
  }
  const stage = r.stages[r.stageIndex]!;
  const plan = r.plan.stages[r.stageIndex]!;
  if (stage.phase === 'approval') {
    audit(d, 'stage.confirmed', actor.user, {
      stage: r.stageIndex,
      question: plan.kind === 'approval' ? plan.question : '',
    });
    finishStage(d, { how: 'confirmed', by: actor.user });
    return 'applied';
  }
  if (stage.phase === 'hold') {
    const left = stage.holdEndsAt
      ? Math.max(0, Date.parse(stage.holdEndsAt) - d.now.getTime())
      : (stage.holdRemainingMs ?? 0);
    stage.holdSeq += 1;
    audit(d, 'stage.promoted', actor.user, { stage: r.stageIndex, skippedMs: left });
    finishStage(d, { how: 'promoted', by: actor.user, skippedMs: left });
    return 'applied';
  }
  return refuse(
    'wrong_state',
    `Stage ${r.stageIndex + 1} (${stageLabel(plan)}) is still running its action; promote when it holds.`,
  );
}

export function onAbort(d: Draft, actor: Actor, reason?: string): Outcome {
  const r = d.r;
  if (r.state === 'rolling_back')
    return refuse('wrong_state', 'A rollback is in progress and cannot be aborted.');
  if (FINAL_STATES.includes(r.state))
    return refuse('already_done', `This release is already ${describeState(r.state)}.`);
  const denied = operateRefusal(r.plan, r, actor, 'abort');
  if (denied) return refuse('not_allowed', denied);
  cancelRunningAction(d);
  cancelPreflight(d);
  stopRunningStage(d, { by: actor.user, how: 'abort', ...(reason?.trim() ? { reason: reason.trim() } : {}) });
  finish(
    d,
    'aborted',
    `Aborted by ${person(actor.user)}${reason ? `: ${reason}` : ''}; nothing was rolled back.`,
  );
  audit(d, 'release.aborted', actor.user, { reason, traffic: r.traffic });
  note(d, { kind: 'aborted', by: actor.user, ...(reason ? { reason } : {}), traffic: r.traffic });
  return 'applied';
}

export function cancelRunningAction(d: Draft): void {
  const r = d.r;
  const stage = r.stages[r.stageIndex];
  if (stage?.phase === 'action')
    d.fx.push({ type: 'cancelAction', key: stageKey(r, r.stageIndex, stage.attempt) });
}
