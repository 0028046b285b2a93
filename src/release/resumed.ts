// An action cut off by a crash (its worker killed, a failover) runs again on another worker, with the
// same idempotency key (SPEC 4, 8): the people watching and the audit log are told, once per attempt.
import type { ActionPurpose, ReleaseEvent } from './types.ts';
import { audit, note, type Draft, type Outcome } from './draft.ts';
import { awaitsAction } from './fencing.ts';
import { stageLabel } from './stage-plan.ts';

export function onActionResumed(d: Draft, e: Extract<ReleaseEvent, { type: 'actionResumed' }>): Outcome {
  if (!awaitsAction(d.r, e.purpose)) return 'ignored';
  const what = describePurpose(d, e.purpose, e.action);
  audit(d, 'action.resumed', 'runway', {
    action: e.action,
    ...purposeFields(e.purpose),
    run: e.run,
    previousOwner: e.previousOwner,
  });
  note(d, { kind: 'actionResumed', action: e.action, what });
  return 'applied';
}

function describePurpose(d: Draft, p: ActionPurpose, action: string): string {
  if (p.kind === 'stage') {
    const stage = d.r.plan.stages[p.stageIndex];
    return `stage ${p.stageIndex + 1}${stage ? ` (${stageLabel(stage)})` : ''}`;
  }
  if (p.kind === 'preflight') return `the pre-flight check ${p.itemId}`;
  return `the rollback step ${p.step} (${action})`;
}

function purposeFields(p: ActionPurpose): Record<string, unknown> {
  if (p.kind === 'stage') return { stage: p.stageIndex, attempt: p.attempt };
  if (p.kind === 'preflight') return { preflightItem: p.itemId };
  return { step: p.step };
}
