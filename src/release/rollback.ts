// Rollback: stop the running stage, then walk back over the undo steps (traffic to 0, the rollback
// action, smoke tests on the previous version), and end rolled back — or failed, for a human.
import { stagesLeftToUndo } from './rollback-target.ts';
import type { Actor, PlannedStage, ReleaseEvent, RollbackStep, StageRun } from './types.ts';
import { FINAL_STATES } from './types.ts';
import { operateRefusal } from './policy.ts';
import { person } from './person.ts';
import { walkBackSteps } from './walk-back.ts';
import {
  audit,
  describeState,
  endStage,
  finish,
  note,
  outputFields,
  exitFields,
  refuse,
  stopRunningStage,
  type Draft,
  type Outcome,
} from './draft.ts';
import { templateVars } from './stage-plan.ts';
import { awaitsAction } from './fencing.ts';
import { cancelRunningAction } from './controls.ts';
import { fillKnown } from '../config/template.ts';
import type { Release } from './types.ts';

export function onRollbackRequested(d: Draft, actor: Actor, reason?: string): Outcome {
  const r = d.r;
  if (r.state === 'rolling_back') return refuse('already_done', 'This release is already rolling back.');
  if (r.state === 'preflight' || r.state === 'awaiting_approval') {
    return refuse('wrong_state', 'Nothing has been deployed yet; use abort (or reject) instead of rollback.');
  }
  if (FINAL_STATES.includes(r.state))
    return refuse('already_done', `This release is already ${describeState(r.state)}.`);
  const denied = operateRefusal(r.plan, r, actor, 'roll back');
  if (denied) return refuse('not_allowed', denied);
  beginRollback(d, {
    by: actor.user,
    reason: reason?.trim() || `requested by ${person(actor.user)}`,
    automatic: false,
    stopped: { by: actor.user, how: 'rollback', ...(reason?.trim() ? { reason: reason.trim() } : {}) },
  });
  return 'applied';
}

/** The stages a rollback walks back over: by default the release's own; a finished one's for kind 'rollback'. */
export interface WalkBackOver {
  stages: readonly PlannedStage[];
  started: readonly number[];
}

export function beginRollback(
  d: Draft,
  how: {
    by: string;
    reason: string;
    /** The output tail of the failed action behind it, when one was. */
    tail?: string;
    automatic: boolean;
    stopped?: NonNullable<StageRun['stopped']>;
    over?: WalkBackOver;
  },
): void {
  const r = d.r;
  cancelRunningAction(d);
  r.epoch += 1; // gate samples, hold timers and the cut-off action no longer count
  r.state = 'rolling_back';
  delete r.pause;
  const stage = r.stages[r.stageIndex];
  if (stage && stage.status === 'running') {
    if (how.stopped) {
      stopRunningStage(d, how.stopped);
    } else {
      // An automatic rollback with the stage still running: a gate breach stopped it. Its detail
      // becomes the breach (which gate, reading against threshold, how long), not the output of
      // the action that had succeeded before it. (A failed action marked the stage already.)
      stage.status = 'failed';
      stage.detail = { summary: how.reason };
      endStage(d, stage);
    }
  }
  // Every stage that started, the stopped one included (its action may have half applied).
  const over = how.over ?? { stages: r.plan.stages, started: stagesLeftToUndo(r) };
  const steps = walkBackSteps(r.plan, over.stages, over.started);
  const tail = how.tail !== undefined ? { tail: how.tail } : {};
  r.rollback = {
    reason: how.reason,
    ...tail,
    by: how.by,
    at: d.now.toISOString(),
    automatic: how.automatic,
    steps,
    toVersion: r.previousVersion,
  };
  audit(d, how.automatic ? 'rollback.automatic' : 'rollback.requested', how.by, {
    reason: how.reason,
    toVersion: r.previousVersion,
  });
  note(d, {
    kind: 'rollbackStarted',
    automatic: how.automatic,
    by: how.by,
    toVersion: r.previousVersion,
    reason: how.reason,
  });
  d.fx.push({ type: 'updateCard' });
  nextRollbackStep(d);
}

function nextRollbackStep(d: Draft): void {
  const r = d.r;
  const rb = r.rollback!;
  const step = rb.steps.find((s) => s.status === 'waiting');
  if (!step) {
    endRollback(d);
    return;
  }
  step.status = 'running';
  d.fx.push({
    type: 'runAction',
    key: `${r.id}-rb-${step.name}`,
    action: step.action,
    vars: rollbackStepVars(r, step),
    purpose: { kind: 'rollback', step: step.name },
  });
  note(d, {
    kind: 'rollbackStepStarted',
    step: step.name,
    command: stepCommand(r, step),
    ...undoOfNote(step),
  });
}

function undoOfNote(step: RollbackStep): { undoOf?: string } {
  return step.label !== undefined ? { undoOf: step.label } : {};
}

/**
 * What a rollback step's templates see on top of the release's: traffic goes to 0, and the verifying
 * smoke tests run against the version rolled back to, so `{{version}}` there is that version.
 */
function rollbackStepVars(
  r: Release,
  step: RollbackStep,
): { percent?: number; version?: string; flag?: 'off' } {
  if (step.name === 'traffic') return { percent: 0 };
  if (step.flagOff) return { flag: 'off' };
  const to = r.rollback?.toVersion ?? r.previousVersion;
  return step.name === 'verify' && to ? { version: to } : {};
}

/** The command a step runs, as the runbook summarises it (the thread shows it for undo steps). */
function stepCommand(r: Release, step: RollbackStep): string {
  const summary = fillKnown(r.plan.actionSummaries[step.action] ?? step.action, templateVars(r));
  return step.flagOff ? `${summary} off` : summary;
}

export function onRollbackStepFinished(
  d: Draft,
  e: Extract<ReleaseEvent, { type: 'rollbackStepFinished' }>,
): Outcome {
  const r = d.r;
  const step = r.rollback?.steps.find((s) => s.name === e.step);
  if (!step || !awaitsAction(r, { kind: 'rollback', step: e.step })) return 'ignored';
  step.status = e.ok ? 'done' : 'failed';
  if (e.output) step.detail = e.output;
  if (e.ok && e.step === 'traffic') r.traffic = 0;
  audit(d, e.ok ? 'rollback.step_done' : 'rollback.step_failed', 'runway', {
    step: e.step,
    ...outputFields(e.output),
    ...exitFields(e.exit),
  });
  const command = stepCommand(r, step);
  note(
    d,
    e.ok
      ? { kind: 'rollbackStepDone', step: e.step, command, ...undoOfNote(step) }
      : {
          kind: 'rollbackStepFailed',
          step: e.step,
          command,
          ...undoOfNote(step),
          ...outputFields(e.output),
        },
  );
  d.fx.push({ type: 'updateCard' });
  // A failed undo stops the walk: the steps after it are passed over and humans must act.
  if (!e.ok && step.stage !== undefined) {
    for (const rest of r.rollback!.steps) if (rest.status === 'waiting') rest.status = 'skipped';
  }
  nextRollbackStep(d);
  return 'applied';
}

function endRollback(d: Draft): void {
  const r = d.r;
  const rb = r.rollback!;
  const failed = rb.steps.filter((s) => s.status === 'failed');
  if (failed.length > 0) {
    finish(
      d,
      'failed',
      `Rollback incomplete: ${failed.map((s) => `${stepName(s)} failed (${s.detail?.summary ?? 'no detail'})`).join('; ')}.`,
    );
    audit(d, 'rollback.failed', 'runway', { failed: failed.map((s) => s.name) });
    note(d, { kind: 'rollbackIncomplete', failed: failed.map(stepName) });
  } else {
    finish(d, 'rolled_back', `Rolled back${rb.toVersion ? ` to ${rb.toVersion}` : ''}: ${rb.reason}`);
    if (r.kind === 'rollback' && rb.toVersion) d.fx.push({ type: 'recordDeployed', version: rb.toVersion });
    audit(d, 'rollback.done', 'runway', { toVersion: rb.toVersion });
    note(d, { kind: 'rolledBack', toVersion: rb.toVersion, reason: rb.reason });
  }
  const severity = r.plan.rollbackIncident;
  if (rb.automatic || failed.length > 0) {
    const sev = severity === 'none' ? (failed.length > 0 ? 'sev2' : null) : severity;
    if (sev) {
      d.fx.push({
        type: 'declareIncident',
        severity: sev,
        title: `${r.service} ${r.version} ${failed.length > 0 ? 'rollback failed' : 'rolled back'} in ${r.environment}`,
        reason: rb.reason,
      });
    }
  }
}

/** How people know a step: an undo by the stage it undoes and its action. */
function stepName(s: RollbackStep): string {
  if (s.label === undefined || s.name === 'rollback') return s.name;
  return `undo of "${s.label}" (${s.flagOff ? `${s.action} off` : s.action})`;
}
