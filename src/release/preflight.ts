// Pre-flight and approvals: automated checks and manual ticks, then the approvals the runbook asks
// for, then the go. A reject ends the release before anything is deployed.
import type { Actor, ReleaseEvent, Release } from './types.ts';
import { approvalRefusal, operateRefusal } from './policy.ts';
import { person } from './person.ts';
import {
  audit,
  describeState,
  finish,
  note,
  outputFields,
  exitFields,
  refuse,
  type Draft,
  type Outcome,
} from './draft.ts';
import { startRunning } from './stages.ts';
import { awaitsAction } from './fencing.ts';

export function runPreflightCheck(d: Draft, itemId: string): void {
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

export function onPreflightChecked(
  d: Draft,
  e: Extract<ReleaseEvent, { type: 'preflightChecked' }>,
): Outcome {
  const item = d.r.preflight.find((p) => p.id === e.itemId);
  const purpose = { kind: 'preflight', itemId: e.itemId, attempt: e.attempt } as const;
  if (!item || !awaitsAction(d.r, purpose)) return 'ignored';
  item.status = e.ok ? 'passed' : 'failed';
  item.at = d.now.toISOString();
  if (e.output) item.detail = e.output;
  audit(d, e.ok ? 'preflight.passed' : 'preflight.failed', 'runway', {
    item: item.id,
    ...outputFields(e.output),
    ...exitFields(e.exit),
  });
  if (!e.ok) note(d, { kind: 'preflightFailed', title: item.title, ...outputFields(e.output) });
  d.fx.push({ type: 'updateCard' });
  enterApprovalIfReady(d);
  return 'applied';
}

export function onPreflightTicked(d: Draft, e: Extract<ReleaseEvent, { type: 'preflightTicked' }>): Outcome {
  const r = d.r;
  const item = r.preflight.find((p) => p.id === e.itemId);
  if (!item || !item.manual)
    return refuse('not_found', `There is no manual pre-flight item "${e.itemId}" on this release.`);
  if (r.state !== 'preflight' && r.state !== 'awaiting_approval') {
    return refuse('wrong_state', 'Pre-flight is over for this release; its checklist can no longer change.');
  }
  const denied = operateRefusal(r.plan, r, e.actor, 'tick the pre-flight checklist of');
  if (denied) return refuse('not_allowed', denied);
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

export function onPreflightRerun(d: Draft, actor: Actor): Outcome {
  const r = d.r;
  if (r.state !== 'preflight')
    return refuse('wrong_state', 'Pre-flight checks can only be re-run while pre-flight is open.');
  const denied = operateRefusal(r.plan, r, actor, 're-run the checks of');
  if (denied) return refuse('not_allowed', denied);
  const failed = r.preflight.filter((p) => !p.manual && p.status === 'failed');
  if (failed.length === 0)
    return refuse('nothing_to_do', 'No pre-flight check has failed; nothing to re-run.');
  for (const item of failed) runPreflightCheck(d, item.id);
  audit(d, 'preflight.rerun', actor.user, { items: failed.map((p) => p.id) });
  d.fx.push({ type: 'updateCard' });
  return 'applied';
}

export function enterApprovalIfReady(d: Draft): void {
  const r = d.r;
  if (r.state !== 'preflight' || preflightBlockers(r).length > 0) return;
  if (r.approvals.length >= r.plan.approvals.required) {
    startRunning(d);
    return;
  }
  r.state = 'awaiting_approval';
  if (r.preflight.length > 0) note(d, { kind: 'preflightComplete' });
  note(d, {
    kind: 'awaitingApproval',
    missing: r.plan.approvals.required - r.approvals.length,
    approvers: r.plan.approvals.approvers,
  });
  d.fx.push({ type: 'updateCard' });
}

export function onApproved(d: Draft, actor: Actor): Outcome {
  const r = d.r;
  if (r.state !== 'preflight' && r.state !== 'awaiting_approval') {
    return refuse('wrong_state', `This release is ${describeState(r.state)}; approvals are closed.`);
  }
  const denied = approvalRefusal(r.plan, r, actor);
  if (denied) return refuse(actor.user === r.requester ? 'self_approval' : 'not_allowed', denied);
  if (r.approvals.some((a) => a.user === actor.user))
    return refuse('already_done', 'You have already approved this release.');
  const blockers = preflightBlockers(r);
  if (blockers.length > 0) {
    return refuse('preflight_pending', `Approval waits for pre-flight to pass: ${blockers.join(', ')}.`);
  }
  r.approvals.push({ user: actor.user, at: d.now.toISOString() });
  audit(d, 'release.approved', actor.user, {
    count: r.approvals.length,
    required: r.plan.approvals.required,
  });
  note(d, {
    kind: 'approved',
    by: actor.user,
    count: r.approvals.length,
    required: r.plan.approvals.required,
  });
  d.fx.push({ type: 'updateCard' });
  if (r.approvals.length >= r.plan.approvals.required) startRunning(d);
  return 'applied';
}

export function onRejected(d: Draft, actor: Actor, reason?: string): Outcome {
  const r = d.r;
  if (r.state !== 'preflight' && r.state !== 'awaiting_approval') {
    return refuse(
      'wrong_state',
      `This release is ${describeState(r.state)}; it can only be rejected before the deploy starts.`,
    );
  }
  const { approvers } = r.plan.approvals;
  if (
    approvers.length > 0 &&
    !approvers.includes(actor.user) &&
    !(actor.groups ?? []).some((g) => approvers.includes(g))
  ) {
    return refuse(
      'not_allowed',
      approvalRefusal(r.plan, { ...r, requester: '' }, actor) ?? 'Only approvers can reject.',
    );
  }
  r.rejection = { user: actor.user, at: d.now.toISOString(), ...(reason ? { reason } : {}) };
  cancelPreflight(d);
  finish(d, 'rejected', `Rejected by ${person(actor.user)}${reason ? `: ${reason}` : ''}.`);
  audit(d, 'release.rejected', actor.user, { reason });
  note(d, { kind: 'rejected', by: actor.user, ...(reason ? { reason } : {}) });
  return 'applied';
}

export function cancelPreflight(d: Draft): void {
  for (const item of d.r.preflight) {
    if (item.status === 'running') {
      d.fx.push({ type: 'cancelAction', key: `${d.r.id}-pre-${item.id}-${item.attempt}` });
      item.status = 'pending';
    }
  }
}
