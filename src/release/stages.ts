// Stages: start one, run its action, hold while gates watch, finish it and start the next; the last
// one completes the release. A failed action (or a sustained breach) rolls back or pauses.
import type { ReleaseEvent } from './types.ts';
import { describeReading, isBlocking } from './gates.ts';
import {
  audit,
  endStage,
  exitFields,
  finish,
  note,
  outputFields,
  type Draft,
  type Outcome,
} from './draft.ts';
import type { StageEnd } from './notes.ts';
import { holdOf, stageAction, stageKey, stageLabel, stageVars } from './stage-plan.ts';
import { pause } from './controls.ts';
import { awaitsAction, awaitsHoldEnd } from './fencing.ts';
import { beginRollback } from './rollback.ts';

export function startRunning(d: Draft): void {
  d.r.state = 'running';
  audit(d, 'release.go', 'runway', { approvals: d.r.approvals.map((a) => a.user) });
  startStage(d, 0);
}

function startStage(d: Draft, index: number): void {
  const r = d.r;
  const plan = r.plan.stages[index];
  if (!plan) {
    complete(d);
    return;
  }
  r.stageIndex = index;
  r.epoch += 1;
  const stage = r.stages[index]!;
  stage.status = 'running';
  stage.startedAt = d.now.toISOString();
  delete stage.endedAt;
  delete stage.holdElapsed;
  for (const gate of plan.gates) {
    const prev = r.gates[gate];
    r.gates[gate] = {
      value: prev?.value ?? null,
      verdict: prev?.verdict ?? 'no_data',
      at: prev?.at ?? d.now.toISOString(),
      samples: 0,
      seq: 0,
    };
  }
  audit(d, 'stage.started', 'runway', { stage: index, label: stageLabel(plan) });
  note(d, { kind: 'stageStarted', stage: index + 1, total: r.plan.stages.length, label: stageLabel(plan) });
  d.fx.push({ type: 'updateCard' });
  if (plan.kind === 'approval') {
    stage.phase = 'approval';
    note(d, { kind: 'confirmationAsked', question: plan.question });
    return;
  }
  if (stageAction(plan)) {
    runStageAction(d, index);
    return;
  }
  if (plan.kind === 'traffic') r.traffic = plan.percent;
  beginHold(d, index);
}

export function runStageAction(d: Draft, index: number): void {
  const r = d.r;
  const plan = r.plan.stages[index]!;
  const stage = r.stages[index]!;
  const action = stageAction(plan)!;
  stage.phase = 'action';
  stage.attempt += 1;
  d.fx.push({
    type: 'runAction',
    key: stageKey(r, index, stage.attempt),
    action,
    vars: stageVars(plan),
    purpose: { kind: 'stage', stageIndex: index, attempt: stage.attempt, epoch: r.epoch },
  });
}

/** The action is done: hold and watch gates, or finish at once when there is nothing to wait for. */
function beginHold(d: Draft, index: number): void {
  const r = d.r;
  const plan = r.plan.stages[index]!;
  const stage = r.stages[index]!;
  stage.phase = 'hold';
  for (const gate of plan.gates) scheduleSample(d, gate, 0);
  const holdMs = holdOf(plan);
  if (holdMs > 0) {
    if (r.state === 'paused') {
      stage.holdRemainingMs = holdMs;
    } else {
      startHoldTimer(d, index, holdMs);
    }
    return;
  }
  stage.holdElapsed = true;
  maybeFinishStage(d, false);
}

export function startHoldTimer(d: Draft, index: number, ms: number): void {
  const stage = d.r.stages[index]!;
  stage.holdSeq += 1;
  stage.holdEndsAt = new Date(d.now.getTime() + ms).toISOString();
  delete stage.holdRemainingMs;
  d.fx.push({
    type: 'scheduleHoldEnd',
    stageIndex: index,
    epoch: d.r.epoch,
    seq: stage.holdSeq,
    delayMs: ms,
  });
}

export function scheduleSample(d: Draft, gate: string, delayMs: number): void {
  const reading = d.r.gates[gate];
  if (!reading) return;
  reading.seq += 1;
  d.fx.push({ type: 'scheduleGateSample', gate, epoch: d.r.epoch, seq: reading.seq, delayMs });
}

export function onHoldElapsed(d: Draft, e: Extract<ReleaseEvent, { type: 'holdElapsed' }>): Outcome {
  const stage = d.r.stages[e.stageIndex];
  if (!stage || !awaitsHoldEnd(d.r, e.stageIndex, e.epoch, e.seq)) return 'ignored';
  delete stage.holdEndsAt;
  stage.holdElapsed = true;
  maybeFinishStage(d, true);
  return 'applied';
}

/** Ends the stage when its hold is over and no gate blocks (each sampled at least once, none in breach). */
export function maybeFinishStage(d: Draft, announceWait: boolean): void {
  const r = d.r;
  const stage = r.stages[r.stageIndex];
  const plan = r.plan.stages[r.stageIndex];
  if (!stage || !plan || r.state !== 'running' || stage.phase !== 'hold' || !stage.holdElapsed) return;
  const blocking = plan.gates.filter((g) => {
    const policy = r.plan.gates[g];
    return policy ? isBlocking(policy, r.gates[g]) : false;
  });
  const breaching = blocking.filter((g) => (r.gates[g]?.samples ?? 0) > 0);
  if (blocking.length > 0) {
    if (announceWait && breaching.length > 0) note(d, { kind: 'holdOverWaiting', gates: breaching });
    d.fx.push({ type: 'updateCard' });
    return;
  }
  finishStage(d);
}

export function finishStage(d: Draft, end?: StageEnd): void {
  const r = d.r;
  const index = r.stageIndex;
  const stage = r.stages[index]!;
  const plan = r.plan.stages[index]!;
  stage.status = 'done';
  stage.endedAt = d.now.toISOString();
  delete stage.phase;
  delete stage.holdEndsAt;
  delete stage.holdRemainingMs;
  const readings = plan.gates.flatMap((g) => {
    const policy = r.plan.gates[g];
    const reading = r.gates[g];
    return policy && reading ? [{ gate: g, reading: describeReading(policy, reading) }] : [];
  });
  audit(d, 'stage.done', 'runway', { stage: index, label: stageLabel(plan), ...(end ? { end } : {}) });
  note(d, {
    kind: 'stageSucceeded',
    stage: index + 1,
    total: r.plan.stages.length,
    label: stageLabel(plan),
    ...(end ? { end } : {}),
    readings,
  });
  startStage(d, index + 1);
}

function complete(d: Draft): void {
  const r = d.r;
  finish(d, 'completed', `${r.service} ${r.version} is live in ${r.environment}.`);
  d.fx.push({ type: 'recordDeployed', version: r.version });
  d.fx.push({ type: 'postHandoff' });
  audit(d, 'release.completed', 'runway', { version: r.version });
  note(d, {
    kind: 'released',
    service: r.service,
    version: r.version,
    environment: r.environment,
    ...(r.plan.promotesTo?.length ? { promoteTo: [...r.plan.promotesTo] } : {}),
  });
}

export function onActionFinished(d: Draft, e: Extract<ReleaseEvent, { type: 'actionFinished' }>): Outcome {
  const r = d.r;
  const stage = r.stages[e.stageIndex];
  const purpose = { kind: 'stage', stageIndex: e.stageIndex, attempt: e.attempt, epoch: e.epoch } as const;
  if (!stage || !awaitsAction(r, purpose)) return 'ignored';
  const plan = r.plan.stages[e.stageIndex]!;
  const label = stageLabel(plan);
  const action = stageAction(plan) ?? '';
  if (!e.ok) {
    const output = e.output ?? { summary: 'failed' };
    stage.status = 'failed';
    stage.detail = output;
    endStage(d, stage);
    audit(d, 'action.failed', 'runway', {
      stage: e.stageIndex,
      action,
      ...outputFields(e.output),
      ...exitFields(e.exit),
    });
    note(d, { kind: 'actionFailed', action, stage: e.stageIndex + 1, label, ...output });
    onFailure(d, `${action} failed in stage ${e.stageIndex + 1} (${label}): ${output.summary}`, output.tail);
    return 'applied';
  }
  if (e.output) stage.detail = e.output;
  audit(d, 'action.finished', 'runway', {
    stage: e.stageIndex,
    action,
    ...outputFields(e.output),
    ...exitFields(e.exit),
  });
  if (plan.kind === 'traffic') r.traffic = plan.percent;
  d.fx.push({ type: 'updateCard' });
  if (r.state === 'paused') {
    // Paused while the action ran: watch the gates, but hold timers wait for resume.
    stage.phase = 'hold';
    for (const gate of plan.gates) scheduleSample(d, gate, 0);
    const holdMs = holdOf(plan);
    if (holdMs > 0) stage.holdRemainingMs = holdMs;
    else stage.holdElapsed = true;
    return 'applied';
  }
  beginHold(d, e.stageIndex);
  return 'applied';
}

/**
 * A stage action failed or a gate breach was sustained: roll back or pause, as the runbook says.
 * `tail`: the failed action's output tail, carried beside the reason (the card shows it once).
 */
export function onFailure(d: Draft, reason: string, tail?: string): void {
  const r = d.r;
  if (r.plan.onBreach === 'rollback') {
    beginRollback(d, { by: 'runway', reason, automatic: true, ...(tail !== undefined ? { tail } : {}) });
    return;
  }
  if (r.state === 'paused') {
    d.fx.push({ type: 'updateCard' });
    return;
  }
  pause(d, 'runway', reason, tail);
  note(d, { kind: 'pausedOnFailure', reason });
}
