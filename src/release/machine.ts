// The release machine: (release, event, now) → new release + effects, or a refusal for the person.
// Pure: no Redis, no Slack, no clock, no processes. Every policy of SPEC section 4 and every stage
// kind of section 5 is decided here; the engine only stores the result and carries out the effects.
import type {
  Actor,
  DecideResult,
  Decision,
  Effect,
  PlannedStage,
  Refusal,
  Release,
  ReleaseEvent,
  ReleasePlan,
  ReleaseState,
  RollbackProgress,
  StageRun,
} from './types.ts';
import { FINAL_STATES } from './types.ts';
import { approvalRefusal, mention, operateRefusal } from './policy.ts';
import { describeBreach, describeReading, evaluateSample, isBlocking } from './gates.ts';
import { formatDuration } from '../config/duration.ts';
import { renderTemplate, type TemplateVars } from '../config/template.ts';

/** A draft being decided: the copy of the release, the effects so far and the time. */
interface Draft {
  r: Release;
  fx: Effect[];
  now: Date;
}

const refuse = (reason: string): Refusal => ({ refused: true, reason });

// ---- starting ------------------------------------------------------------------------------

export interface StartInput {
  id: string;
  service: string;
  environment: string;
  version: string;
  previousVersion: string | null;
  requester: string;
  notes?: string;
  hotfix?: { reason: string };
  dryRun: boolean;
  plan: ReleasePlan;
  /** Policy overrides granted by --hotfix, to audit. */
  overrides?: string[];
  /** Things a dry run reports (a real start would have been refused because…). */
  dryRunNotes?: string[];
}

function newRelease(input: StartInput, now: Date, kind: Release['kind']): Release {
  const at = now.toISOString();
  return {
    id: input.id,
    rev: 0,
    epoch: 1,
    kind,
    service: input.service,
    environment: input.environment,
    version: input.version,
    previousVersion: input.previousVersion,
    requester: input.requester,
    ...(input.notes ? { notes: input.notes } : {}),
    ...(input.hotfix ? { hotfix: input.hotfix } : {}),
    dryRun: input.dryRun,
    createdAt: at,
    updatedAt: at,
    state: 'preflight',
    plan: input.plan,
    preflight: input.plan.preflight.map((item) => ({ ...item, status: 'pending', attempt: 0 })),
    approvals: [],
    stageIndex: -1,
    stages: input.plan.stages.map(() => ({ status: 'waiting', attempt: 0, holdSeq: 0 })),
    traffic: 0,
    gates: {},
  };
}

/** A new release: pre-flight starts at once; a dry run walks the whole plan and ends. */
export function startRelease(input: StartInput, now: Date): Decision {
  const d: Draft = { r: newRelease(input, now, 'release'), fx: [], now };
  audit(d, 'release.started', input.requester, {
    version: input.version,
    previousVersion: input.previousVersion,
    dryRun: input.dryRun,
    ...(input.hotfix ? { hotfix: input.hotfix.reason } : {}),
    ...(input.notes ? { notes: input.notes } : {}),
  });
  for (const override of input.overrides ?? []) {
    audit(d, 'policy.override', input.requester, { override, reason: input.hotfix?.reason });
  }
  d.fx.push({ type: 'updateCard' });
  if (input.dryRun) {
    walkDryRun(d, input.dryRunNotes ?? []);
    return done(d);
  }
  post(
    d,
    `${mention(input.requester)} started the release of *${input.service} ${input.version}* to ${input.environment}${
      input.hotfix ? ` as a hotfix: _${input.hotfix.reason}_` : ''
    }.`,
  );
  for (const item of d.r.preflight) {
    if (!item.manual) runPreflightCheck(d, item.id);
  }
  enterApprovalIfReady(d);
  return done(d);
}

/** Rolling back a release that already finished: a release of kind 'rollback' that only rolls back. */
export function startRollbackRelease(
  input: Omit<StartInput, 'dryRun' | 'hotfix'> & { reason: string; automatic?: boolean },
  now: Date,
): Decision {
  const d: Draft = { r: newRelease({ ...input, dryRun: false }, now, 'rollback'), fx: [], now };
  d.r.preflight = [];
  d.r.stages = [];
  audit(d, 'release.rollback_requested', input.requester, {
    from: input.version,
    to: input.previousVersion,
    reason: input.reason,
  });
  d.fx.push({ type: 'updateCard' });
  beginRollback(d, { by: input.requester, reason: input.reason, automatic: input.automatic ?? false });
  return done(d);
}

// ---- deciding ------------------------------------------------------------------------------

export function decide(release: Release, event: ReleaseEvent, now: Date): DecideResult {
  // The plan is never changed after start: share it instead of copying it with the state.
  const { plan, ...state } = release;
  const d: Draft = { r: { ...structuredClone(state), plan }, fx: [], now };
  const result = apply(d, event);
  if (result === 'ignored') return { refused: false, release, effects: [] };
  if (typeof result === 'object') return result;
  return done(d);
}

/** True when the decision changed nothing (a stale job, a duplicate event). */
export function isNoop(before: Release, result: DecideResult): boolean {
  return !result.refused && result.release === before;
}

type Outcome = 'applied' | 'ignored' | Refusal;

function apply(d: Draft, e: ReleaseEvent): Outcome {
  const r = d.r;
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
    case 'holdElapsed': {
      const stage = r.stages[e.stageIndex];
      if (e.epoch !== r.epoch || e.stageIndex !== r.stageIndex || !stage || e.seq !== stage.holdSeq)
        return 'ignored';
      if (stage.phase !== 'hold' || !stage.holdEndsAt || r.state !== 'running') return 'ignored';
      delete stage.holdEndsAt;
      stage.holdElapsed = true;
      maybeFinishStage(d, true);
      return 'applied';
    }
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
  }
}

// ---- pre-flight and approvals ----------------------------------------------------------------

function runPreflightCheck(d: Draft, itemId: string): void {
  const item = d.r.preflight.find((p) => p.id === itemId);
  if (!item) return;
  item.status = 'running';
  item.attempt += 1;
  delete item.detail;
  d.fx.push({
    type: 'runAction',
    key: `${d.r.id}-pre-${item.id}-${item.attempt}`,
    action: `preflight:${item.id}`,
    vars: {},
    purpose: { kind: 'preflight', itemId: item.id, attempt: item.attempt },
  });
}

function preflightBlockers(r: Release): string[] {
  return r.preflight
    .filter((p) => p.required && p.status !== 'passed')
    .map((p) => `${p.title} (${p.manual ? 'not ticked' : p.status})`);
}

function onPreflightChecked(d: Draft, e: Extract<ReleaseEvent, { type: 'preflightChecked' }>): Outcome {
  const item = d.r.preflight.find((p) => p.id === e.itemId);
  if (!item || item.status !== 'running' || item.attempt !== e.attempt || d.r.state !== 'preflight')
    return 'ignored';
  item.status = e.ok ? 'passed' : 'failed';
  item.at = d.now.toISOString();
  if (e.detail) item.detail = e.detail;
  audit(d, e.ok ? 'preflight.passed' : 'preflight.failed', 'runway', { item: item.id, detail: e.detail });
  if (!e.ok) {
    post(d, `:x: Pre-flight check *${item.title}* failed: ${e.detail ?? 'no detail'}`);
  }
  d.fx.push({ type: 'updateCard' });
  enterApprovalIfReady(d);
  return 'applied';
}

function onPreflightTicked(d: Draft, e: Extract<ReleaseEvent, { type: 'preflightTicked' }>): Outcome {
  const r = d.r;
  const item = r.preflight.find((p) => p.id === e.itemId);
  if (!item || !item.manual)
    return refuse(`There is no manual pre-flight item "${e.itemId}" on this release.`);
  if (r.state !== 'preflight' && r.state !== 'awaiting_approval') {
    return refuse('Pre-flight is over for this release; its checklist can no longer change.');
  }
  const denied = operateRefusal(r.plan, r, e.actor, 'tick the pre-flight checklist of');
  if (denied) return refuse(denied);
  const status = e.checked ? 'passed' : 'pending';
  if (item.status === status) return 'ignored';
  item.status = status;
  if (e.checked) {
    item.by = e.actor.user;
    item.at = d.now.toISOString();
  } else {
    delete item.by;
    delete item.at;
  }
  audit(d, e.checked ? 'preflight.ticked' : 'preflight.unticked', e.actor.user, { item: item.id });
  d.fx.push({ type: 'updateCard' });
  if (!e.checked && r.state === 'awaiting_approval') r.state = 'preflight';
  enterApprovalIfReady(d);
  return 'applied';
}

function onPreflightRerun(d: Draft, actor: Actor): Outcome {
  const r = d.r;
  if (r.state !== 'preflight')
    return refuse('Pre-flight checks can only be re-run while pre-flight is open.');
  const denied = operateRefusal(r.plan, r, actor, 're-run the checks of');
  if (denied) return refuse(denied);
  const failed = r.preflight.filter((p) => !p.manual && p.status === 'failed');
  if (failed.length === 0) return refuse('No pre-flight check has failed; nothing to re-run.');
  for (const item of failed) runPreflightCheck(d, item.id);
  audit(d, 'preflight.rerun', actor.user, { items: failed.map((p) => p.id) });
  d.fx.push({ type: 'updateCard' });
  return 'applied';
}

function enterApprovalIfReady(d: Draft): void {
  const r = d.r;
  if (r.state !== 'preflight' || preflightBlockers(r).length > 0) return;
  if (r.approvals.length >= r.plan.approvals.required) {
    startRunning(d);
    return;
  }
  r.state = 'awaiting_approval';
  if (r.preflight.length > 0) post(d, ':white_check_mark: Pre-flight complete.');
  post(
    d,
    `Waiting for ${r.plan.approvals.required - r.approvals.length} more approval${
      r.plan.approvals.required - r.approvals.length === 1 ? '' : 's'
    }${r.plan.approvals.approvers.length ? ` from ${r.plan.approvals.approvers.map(mention).join(', ')}` : ''}.`,
  );
  d.fx.push({ type: 'updateCard' });
}

function onApproved(d: Draft, actor: Actor): Outcome {
  const r = d.r;
  if (r.state !== 'preflight' && r.state !== 'awaiting_approval') {
    return refuse(`This release is ${describeState(r.state)}; approvals are closed.`);
  }
  const denied = approvalRefusal(r.plan, r, actor);
  if (denied) return refuse(denied);
  if (r.approvals.some((a) => a.user === actor.user))
    return refuse('You have already approved this release.');
  const blockers = preflightBlockers(r);
  if (blockers.length > 0) {
    return refuse(`Approval waits for pre-flight to pass: ${blockers.join(', ')}.`);
  }
  r.approvals.push({ user: actor.user, at: d.now.toISOString() });
  audit(d, 'release.approved', actor.user, {
    count: r.approvals.length,
    required: r.plan.approvals.required,
  });
  post(
    d,
    `:white_check_mark: Approved by ${mention(actor.user)} (${r.approvals.length}/${r.plan.approvals.required}).`,
  );
  d.fx.push({ type: 'updateCard' });
  if (r.approvals.length >= r.plan.approvals.required) startRunning(d);
  return 'applied';
}

function onRejected(d: Draft, actor: Actor, reason?: string): Outcome {
  const r = d.r;
  if (r.state !== 'preflight' && r.state !== 'awaiting_approval') {
    return refuse(
      `This release is ${describeState(r.state)}; it can only be rejected before the deploy starts.`,
    );
  }
  const { approvers } = r.plan.approvals;
  if (
    approvers.length > 0 &&
    !approvers.includes(actor.user) &&
    !(actor.groups ?? []).some((g) => approvers.includes(g))
  ) {
    return refuse(approvalRefusal(r.plan, { ...r, requester: '' }, actor) ?? 'Only approvers can reject.');
  }
  r.rejection = { user: actor.user, at: d.now.toISOString(), ...(reason ? { reason } : {}) };
  cancelPreflight(d);
  finish(d, 'rejected', `Rejected by ${mention(actor.user)}${reason ? `: ${reason}` : ''}.`);
  audit(d, 'release.rejected', actor.user, { reason });
  post(
    d,
    `:no_entry: Rejected by ${mention(actor.user)}${reason ? `: _${reason}_` : ''}. Nothing was deployed.`,
  );
  return 'applied';
}

function cancelPreflight(d: Draft): void {
  for (const item of d.r.preflight) {
    if (item.status === 'running') {
      d.fx.push({ type: 'cancelAction', key: `${d.r.id}-pre-${item.id}-${item.attempt}` });
      item.status = 'pending';
    }
  }
}

// ---- stages ----------------------------------------------------------------------------------

function startRunning(d: Draft): void {
  d.r.state = 'running';
  audit(d, 'release.go', 'runway', { approvals: d.r.approvals.map((a) => a.user) });
  startStage(d, 0);
}

export function stageLabel(stage: PlannedStage): string {
  switch (stage.kind) {
    case 'deploy':
      return 'deploy';
    case 'smoke':
      return 'smoke tests';
    case 'traffic':
      return `traffic ${stage.percent}%${stage.holdMs ? `, hold ${formatDuration(stage.holdMs)}` : ''}`;
    case 'approval':
      return `approval: ${stage.question}`;
    case 'bake':
      return `bake ${formatDuration(stage.holdMs)}`;
    case 'run':
      return `run ${stage.action}${stage.holdMs ? `, hold ${formatDuration(stage.holdMs)}` : ''}`;
  }
}

function stageAction(stage: PlannedStage): string | null {
  switch (stage.kind) {
    case 'deploy':
    case 'smoke':
    case 'run':
      return stage.action;
    case 'traffic':
      return stage.action;
    default:
      return null;
  }
}

function holdOf(stage: PlannedStage): number {
  return stage.kind === 'traffic' || stage.kind === 'bake' || stage.kind === 'run' ? stage.holdMs : 0;
}

export function stageKey(r: Pick<Release, 'id'>, index: number, attempt: number): string {
  return `${r.id}-s${index}-a${attempt}`;
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
  post(d, `:arrow_forward: Stage ${index + 1}/${r.plan.stages.length} started: *${stageLabel(plan)}*`);
  d.fx.push({ type: 'updateCard' });
  if (plan.kind === 'approval') {
    stage.phase = 'approval';
    post(d, `:raised_hand: ${plan.question} An approver, operator or the requester confirms with Promote.`);
    return;
  }
  const action = stageAction(plan);
  if (action) {
    runStageAction(d, index);
    return;
  }
  if (plan.kind === 'traffic') r.traffic = plan.percent;
  beginHold(d, index);
}

function runStageAction(d: Draft, index: number): void {
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
    vars: plan.kind === 'traffic' ? { percent: plan.percent } : {},
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

function startHoldTimer(d: Draft, index: number, ms: number): void {
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

function scheduleSample(d: Draft, gate: string, delayMs: number): void {
  const reading = d.r.gates[gate];
  if (!reading) return;
  reading.seq += 1;
  d.fx.push({ type: 'scheduleGateSample', gate, epoch: d.r.epoch, seq: reading.seq, delayMs });
}

/** Ends the stage when its hold is over and no gate blocks (each sampled at least once, none in breach). */
function maybeFinishStage(d: Draft, announceWait: boolean): void {
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
    if (announceWait && breaching.length > 0) {
      post(
        d,
        `:hourglass: The hold is over but ${breaching.join(', ')} ${breaching.length === 1 ? 'is' : 'are'} out of bounds; waiting for ${breaching.length === 1 ? 'it' : 'them'} to recover.`,
      );
    }
    d.fx.push({ type: 'updateCard' });
    return;
  }
  finishStage(d);
}

function finishStage(d: Draft, note?: string): void {
  const r = d.r;
  const index = r.stageIndex;
  const stage = r.stages[index]!;
  const plan = r.plan.stages[index]!;
  stage.status = 'done';
  stage.endedAt = d.now.toISOString();
  delete stage.phase;
  delete stage.holdEndsAt;
  delete stage.holdRemainingMs;
  const readings = plan.gates
    .map((g) => {
      const policy = r.plan.gates[g];
      const reading = r.gates[g];
      return policy && reading ? `${g} ${describeReading(policy, reading)}` : null;
    })
    .filter(Boolean);
  audit(d, 'stage.done', 'runway', { stage: index, label: stageLabel(plan), note });
  post(
    d,
    `:white_check_mark: Stage ${index + 1}/${r.plan.stages.length} done: *${stageLabel(plan)}*${note ? ` (${note})` : ''}${
      readings.length ? ` — ${readings.join('; ')}` : ''
    }`,
  );
  startStage(d, index + 1);
}

function complete(d: Draft): void {
  const r = d.r;
  finish(d, 'completed', `${r.service} ${r.version} is live in ${r.environment}.`);
  d.fx.push({ type: 'recordDeployed', version: r.version });
  d.fx.push({ type: 'postHandoff' });
  audit(d, 'release.completed', 'runway', { version: r.version });
  post(
    d,
    `:tada: *${r.service} ${r.version}* is live in ${r.environment}. The release handoff goes to on-call.`,
  );
}

/** Ends the release in a final state: fences every job, frees the lock, updates the card. */
function finish(d: Draft, state: ReleaseState, outcome: string): void {
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
function endStage(d: Draft, stage: StageRun): void {
  stage.endedAt = d.now.toISOString();
  delete stage.phase;
  delete stage.holdEndsAt;
  delete stage.holdRemainingMs;
}

/**
 * A person stopped the running stage (abort, manual rollback): it did not fail, it was cut short, so
 * it is marked skipped with who stopped it and why, not failed with its action's last output.
 */
function stopRunningStage(d: Draft, stopped: NonNullable<StageRun['stopped']>): void {
  const stage = d.r.stages[d.r.stageIndex];
  if (!stage || stage.status !== 'running') return;
  stage.status = 'skipped';
  stage.stopped = stopped;
  delete stage.detail;
  endStage(d, stage);
}

function onActionFinished(d: Draft, e: Extract<ReleaseEvent, { type: 'actionFinished' }>): Outcome {
  const r = d.r;
  const stage = r.stages[e.stageIndex];
  if (
    e.epoch !== r.epoch ||
    e.stageIndex !== r.stageIndex ||
    !stage ||
    stage.phase !== 'action' ||
    stage.attempt !== e.attempt ||
    (r.state !== 'running' && r.state !== 'paused')
  ) {
    return 'ignored';
  }
  const plan = r.plan.stages[e.stageIndex]!;
  const label = stageLabel(plan);
  if (!e.ok) {
    stage.status = 'failed';
    stage.detail = e.detail ?? 'failed';
    endStage(d, stage);
    audit(d, 'action.failed', 'runway', { stage: e.stageIndex, action: stageAction(plan), detail: e.detail });
    const reason = `${stageAction(plan)} failed in stage ${e.stageIndex + 1} (${label}): ${e.detail ?? 'no detail'}`;
    post(d, `:x: ${reason}`);
    onFailure(d, reason);
    return 'applied';
  }
  if (e.detail) stage.detail = e.detail;
  audit(d, 'action.finished', 'runway', { stage: e.stageIndex, action: stageAction(plan), detail: e.detail });
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

/** A stage action failed or a gate breach was sustained: roll back or pause, as the runbook says. */
function onFailure(d: Draft, reason: string): void {
  const r = d.r;
  if (r.plan.onBreach === 'rollback') {
    beginRollback(d, { by: 'runway', reason, automatic: true });
    return;
  }
  if (r.state === 'paused') {
    d.fx.push({ type: 'updateCard' });
    return;
  }
  pause(d, 'runway', reason);
  post(d, `:double_vertical_bar: Paused: ${reason}. Resume to go on, or roll back.`);
}

// ---- gates ---------------------------------------------------------------------------------

function onGateSampled(d: Draft, e: Extract<ReleaseEvent, { type: 'gateSampled' }>): Outcome {
  const r = d.r;
  const reading = r.gates[e.gate];
  const policy = r.plan.gates[e.gate];
  const plan = r.plan.stages[r.stageIndex];
  if (
    e.epoch !== r.epoch ||
    !reading ||
    !policy ||
    !plan ||
    !plan.gates.includes(e.gate) ||
    reading.seq !== e.seq ||
    (r.state !== 'running' && r.state !== 'paused')
  ) {
    return 'ignored';
  }
  const verdict = evaluateSample(
    policy,
    reading,
    { value: e.value, ...(e.error ? { error: e.error } : {}) },
    d.now,
  );
  r.gates[e.gate] = verdict.reading;
  d.fx.push({ type: 'updateCard' });
  scheduleSample(d, e.gate, policy.everyMs);
  if (verdict.breachStarted) {
    audit(d, 'gate.breach', 'runway', {
      gate: e.gate,
      value: e.value,
      error: e.error,
      max: policy.max,
      min: policy.min,
    });
    post(
      d,
      `:warning: Gate *${e.gate}* out of bounds: ${describeReading(policy, verdict.reading)}${
        policy.forMs > 0
          ? ` — ${r.plan.onBreach === 'rollback' ? 'rolling back' : 'pausing'} if it lasts ${formatDuration(policy.forMs)}`
          : ''
      }.`,
    );
  } else if (verdict.recovered) {
    audit(d, 'gate.recovered', 'runway', { gate: e.gate, value: e.value });
    post(
      d,
      `:large_green_circle: Gate *${e.gate}* back within bounds: ${describeReading(policy, verdict.reading)}.`,
    );
  }
  if (verdict.sustained && !(r.state === 'paused' && r.plan.onBreach === 'pause')) {
    const reason = describeBreach(policy, verdict.reading, d.now);
    audit(d, 'gate.sustained_breach', 'runway', { gate: e.gate, reason });
    onFailure(d, reason);
    return 'applied';
  }
  maybeFinishStage(d, false);
  return 'applied';
}

// ---- people's commands -----------------------------------------------------------------------

function pause(d: Draft, by: string, reason: string): void {
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

function onPause(d: Draft, actor: Actor, reason?: string): Outcome {
  const r = d.r;
  if (r.state === 'paused') return refuse('This release is already paused.');
  if (r.state !== 'running')
    return refuse(`This release is ${describeState(r.state)}; only a running release can be paused.`);
  const denied = operateRefusal(r.plan, r, actor, 'pause');
  if (denied) return refuse(denied);
  const why = reason?.trim() || `paused by ${mention(actor.user)}`;
  pause(d, actor.user, why);
  post(
    d,
    `:double_vertical_bar: Paused by ${mention(actor.user)}${reason ? `: _${reason}_` : ''}. Timers are stopped; gates keep watching.`,
  );
  return 'applied';
}

function onResume(d: Draft, actor: Actor): Outcome {
  const r = d.r;
  if (r.state !== 'paused') return refuse(`This release is ${describeState(r.state)}, not paused.`);
  const denied = operateRefusal(r.plan, r, actor, 'resume');
  if (denied) return refuse(denied);
  r.state = 'running';
  delete r.pause;
  audit(d, 'release.resumed', actor.user);
  post(d, `:arrow_forward: Resumed by ${mention(actor.user)}.`);
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
  if (stage.phase === 'hold' && stage.holdRemainingMs !== undefined) {
    if (stage.holdRemainingMs > 0) startHoldTimer(d, r.stageIndex, stage.holdRemainingMs);
    else {
      delete stage.holdRemainingMs;
      stage.holdElapsed = true;
    }
  }
  maybeFinishStage(d, false);
  return 'applied';
}

function onPromote(d: Draft, actor: Actor, seenStage?: number): Outcome {
  const r = d.r;
  if (r.state === 'paused') return refuse('This release is paused; resume it before promoting.');
  if (r.state !== 'running')
    return refuse(`This release is ${describeState(r.state)}; there is nothing to promote.`);
  const denied = operateRefusal(r.plan, r, actor, 'promote');
  if (denied) return refuse(denied);
  // A second click (or a click on an older card) must not skip the stage after the one it was for.
  if (seenStage !== undefined && seenStage !== r.stageIndex) {
    return refuse(
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
    finishStage(d, `confirmed by ${mention(actor.user)}`);
    return 'applied';
  }
  if (stage.phase === 'hold') {
    const left = stage.holdEndsAt ? Math.max(0, Date.parse(stage.holdEndsAt) - d.now.getTime()) : 0;
    stage.holdSeq += 1;
    audit(d, 'stage.promoted', actor.user, { stage: r.stageIndex, skippedMs: left });
    finishStage(
      d,
      `promoted by ${mention(actor.user)}${left ? `, ${formatDuration(left)} of hold skipped` : ''}`,
    );
    return 'applied';
  }
  return refuse(
    `Stage ${r.stageIndex + 1} (${stageLabel(plan)}) is still running its action; promote when it holds.`,
  );
}

function onAbort(d: Draft, actor: Actor, reason?: string): Outcome {
  const r = d.r;
  if (r.state === 'rolling_back') return refuse('A rollback is in progress and cannot be aborted.');
  if (FINAL_STATES.includes(r.state)) return refuse(`This release is already ${describeState(r.state)}.`);
  const denied = operateRefusal(r.plan, r, actor, 'abort');
  if (denied) return refuse(denied);
  cancelRunningAction(d);
  cancelPreflight(d);
  stopRunningStage(d, { by: actor.user, how: 'abort', ...(reason?.trim() ? { reason: reason.trim() } : {}) });
  finish(
    d,
    'aborted',
    `Aborted by ${mention(actor.user)}${reason ? `: ${reason}` : ''}; nothing was rolled back.`,
  );
  audit(d, 'release.aborted', actor.user, { reason, traffic: r.traffic });
  post(
    d,
    `:octagonal_sign: Aborted by ${mention(actor.user)}${reason ? `: _${reason}_` : ''}. Nothing was rolled back; traffic stays at ${r.traffic}%.`,
  );
  return 'applied';
}

function cancelRunningAction(d: Draft): void {
  const r = d.r;
  const stage = r.stages[r.stageIndex];
  if (stage?.phase === 'action')
    d.fx.push({ type: 'cancelAction', key: stageKey(r, r.stageIndex, stage.attempt) });
}

// ---- rollback --------------------------------------------------------------------------------

function onRollbackRequested(d: Draft, actor: Actor, reason?: string): Outcome {
  const r = d.r;
  if (r.state === 'rolling_back') return refuse('This release is already rolling back.');
  if (r.state === 'preflight' || r.state === 'awaiting_approval') {
    return refuse('Nothing has been deployed yet; use abort (or reject) instead of rollback.');
  }
  if (FINAL_STATES.includes(r.state)) return refuse(`This release is already ${describeState(r.state)}.`);
  const denied = operateRefusal(r.plan, r, actor, 'roll back');
  if (denied) return refuse(denied);
  beginRollback(d, {
    by: actor.user,
    reason: reason?.trim() || `requested by ${mention(actor.user)}`,
    automatic: false,
    stopped: { by: actor.user, how: 'rollback', ...(reason?.trim() ? { reason: reason.trim() } : {}) },
  });
  return 'applied';
}

function beginRollback(
  d: Draft,
  how: { by: string; reason: string; automatic: boolean; stopped?: NonNullable<StageRun['stopped']> },
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
      stage.detail = how.reason;
      endStage(d, stage);
    }
  }
  const has = (name: string) => r.plan.actions.includes(name);
  const steps: RollbackProgress['steps'] = [];
  if (has('traffic')) steps.push({ name: 'traffic', action: 'traffic', status: 'waiting' });
  if (has('rollback')) steps.push({ name: 'rollback', action: 'rollback', status: 'waiting' });
  if (r.plan.verifyRollback && has('smoke'))
    steps.push({ name: 'verify', action: 'smoke', status: 'waiting' });
  r.rollback = {
    reason: how.reason,
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
  post(
    d,
    `:rewind: ${how.automatic ? 'Automatic rollback' : `Rollback by ${mention(how.by)}`}${
      r.previousVersion ? ` to ${r.previousVersion}` : ''
    }: ${how.reason}`,
  );
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
    vars: rollbackStepVars(r, step.name),
    purpose: { kind: 'rollback', step: step.name },
  });
  post(d, `:rewind: Rollback step: ${describeStep(r, step.name)}…`);
}

/**
 * What a rollback step's templates see on top of the release's: traffic goes to 0, and the verifying
 * smoke tests run against the version rolled back to, so `{{version}}` there is that version.
 */
function rollbackStepVars(
  r: Release,
  step: 'traffic' | 'rollback' | 'verify',
): { percent?: number; version?: string } {
  if (step === 'traffic') return { percent: 0 };
  const to = r.rollback?.toVersion ?? r.previousVersion;
  return step === 'verify' && to ? { version: to } : {};
}

function describeStep(r: Release, step: 'traffic' | 'rollback' | 'verify'): string {
  if (step === 'traffic') return 'traffic to 0%';
  if (step === 'verify') return 'smoke tests on the previous version';
  return `\`${r.plan.actionSummaries.rollback ?? 'rollback'}\``.replace(
    /\{\{\s*(\w+)\s*\}\}/g,
    (m, name: string) => {
      const vars: TemplateVars = templateVars(r);
      const value = vars[name as keyof TemplateVars];
      return value === undefined || value === null ? m : String(value);
    },
  );
}

function onRollbackStepFinished(
  d: Draft,
  e: Extract<ReleaseEvent, { type: 'rollbackStepFinished' }>,
): Outcome {
  const r = d.r;
  const step = r.rollback?.steps.find((s) => s.name === e.step);
  if (r.state !== 'rolling_back' || !step || step.status !== 'running') return 'ignored';
  step.status = e.ok ? 'done' : 'failed';
  if (e.detail) step.detail = e.detail;
  if (e.ok && e.step === 'traffic') r.traffic = 0;
  audit(d, e.ok ? 'rollback.step_done' : 'rollback.step_failed', 'runway', {
    step: e.step,
    detail: e.detail,
  });
  post(
    d,
    e.ok
      ? `:white_check_mark: Rollback step done: ${describeStep(r, e.step)}`
      : `:x: Rollback step failed: ${describeStep(r, e.step)} — ${e.detail ?? 'no detail'}`,
  );
  d.fx.push({ type: 'updateCard' });
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
      `Rollback incomplete: ${failed.map((s) => `${s.name} failed (${s.detail ?? 'no detail'})`).join('; ')}.`,
    );
    audit(d, 'rollback.failed', 'runway', { failed: failed.map((s) => s.name) });
    post(
      d,
      `:rotating_light: *Rollback incomplete* — ${failed.map((s) => s.name).join(', ')} failed. A human must take over.`,
    );
  } else {
    finish(d, 'rolled_back', `Rolled back${rb.toVersion ? ` to ${rb.toVersion}` : ''}: ${rb.reason}`);
    if (r.kind === 'rollback' && rb.toVersion) d.fx.push({ type: 'recordDeployed', version: rb.toVersion });
    audit(d, 'rollback.done', 'runway', { toVersion: rb.toVersion });
    post(d, `:rewind: *Rolled back*${rb.toVersion ? ` to ${rb.toVersion}` : ''}. Reason: ${rb.reason}`);
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

// ---- dry run -------------------------------------------------------------------------------

function walkDryRun(d: Draft, notes: string[]): void {
  const r = d.r;
  const vars = templateVars(r);
  const lines = [
    `*Dry run* of ${r.service} ${r.version} to ${r.environment}: nothing is run, locked or changed.`,
  ];
  for (const note of notes) lines.push(`:warning: ${note}`);
  for (const item of r.preflight) {
    lines.push(
      `• pre-flight *${item.title}*: ${item.manual ? 'manual tick' : `check \`${fill(r.plan.actionSummaries[`preflight:${item.id}`] ?? item.id, vars)}\``}`,
    );
  }
  const { required, approvers } = r.plan.approvals;
  lines.push(
    `• ${required} approval${required === 1 ? '' : 's'}${approvers.length ? ` from ${approvers.map(mention).join(', ')}` : ''}`,
  );
  r.plan.stages.forEach((stage, i) => {
    const action = stageAction(stage);
    const run = action
      ? ` — would run \`${fill(r.plan.actionSummaries[action] ?? action, { ...vars, ...(stage.kind === 'traffic' ? { percent: stage.percent } : {}) })}\``
      : '';
    const gates = stage.gates.length
      ? `; gates ${stage.gates
          .map((g) => {
            const p = r.plan.gates[g];
            return p
              ? `${g} (${[p.min !== undefined ? `min ${p.min}` : '', p.max !== undefined ? `max ${p.max}` : ''].filter(Boolean).join(', ')} for ${formatDuration(p.forMs)}, every ${formatDuration(p.everyMs)})`
              : g;
          })
          .join(', ')}`
      : '';
    lines.push(`${i + 1}. ${stageLabel(stage)}${run}${gates}`);
    r.stages[i]!.status = 'skipped';
  });
  const rollback = r.plan.actionSummaries.rollback;
  lines.push(
    `On breach: ${r.plan.onBreach}${rollback ? `; rollback would run \`${fill(rollback, vars)}\`` : ''}.`,
  );
  post(d, lines.join('\n'));
  audit(d, 'release.dry_run', r.requester, { stages: r.plan.stages.length });
  finish(d, 'completed', 'Dry run: every stage was printed, nothing was run.');
}

export function templateVars(r: Release): TemplateVars {
  return {
    version: r.version,
    previous_version: r.previousVersion,
    service: r.service,
    environment: r.environment,
    release_id: r.id,
    requester: r.requester,
  };
}

/** Fill what can be filled; leave unknown placeholders visible (dry runs, summaries). */
function fill(text: string, vars: TemplateVars): string {
  try {
    return renderTemplate(text, vars);
  } catch {
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, name: string) => {
      const value = vars[name as keyof TemplateVars];
      return value === undefined || value === null ? m : String(value);
    });
  }
}

// ---- helpers -------------------------------------------------------------------------------

function post(d: Draft, text: string): void {
  d.fx.push({ type: 'postInThread', text });
}

function audit(d: Draft, action: string, actor: string, details?: Record<string, unknown>): void {
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

function done(d: Draft): Decision {
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
