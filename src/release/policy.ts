// Who may do what (SPEC section 4), as pure functions of the plan, the release and the actor.
import type { Actor, Release, ReleasePlan } from './types.ts';
import { person } from './person.ts';

/** True when the actor is named in the list, directly (U…) or through a user group (S…). */
export function isListed(actor: Actor, list: readonly string[]): boolean {
  return list.includes(actor.user) || (actor.groups ?? []).some((g) => list.includes(g));
}

/** Null when the actor may approve or reject this release, else the reason they may not. */
export function approvalRefusal(plan: ReleasePlan, release: Release, actor: Actor): string | null {
  const { approvers, allowSelfApproval } = plan.approvals;
  if (actor.user === release.requester && !allowSelfApproval) {
    return 'You requested this release, so you cannot approve it yourself; ask another approver.';
  }
  if (approvers.length > 0 && !isListed(actor, approvers)) {
    return `Only the approvers of ${release.service} in ${release.environment} (${approvers
      .map(person)
      .join(', ')}) can approve or reject this release.`;
  }
  return null;
}

/** Null when the actor may pause, resume, abort, promote or roll back this release. */
export function operateRefusal(
  plan: ReleasePlan,
  release: Release,
  actor: Actor,
  verb: string,
): string | null {
  const { approvers, operators } = plan.approvals;
  if (actor.user === release.requester) return null;
  // An empty approver list means anyone but the requester approves, so anyone may also operate.
  if (approvers.length === 0 || isListed(actor, approvers) || isListed(actor, operators)) return null;
  return `Only the requester (${person(release.requester)}), the approvers or the operators of ${
    release.service
  } can ${verb} this release.`;
}

export interface StartPolicyInput {
  window: { open: boolean; refusal?: string };
  freeze: { scope: string; by: string; reason: string } | null;
  /** The sentence of start-guards.ts' incidentFreezeBlock, when an open incident freezes starts. */
  incidentFreeze?: string | null;
  hotfix?: { reason: string };
  dryRun: boolean;
}

/**
 * Whether a start may go ahead past windows and freezes. A hotfix overrides both; the overrides are
 * returned so they can be audited. A dry run is never refused: it reports what would block it.
 */
export function startPolicy(input: StartPolicyInput): {
  refusal: string | null;
  overrides: string[];
  notes: string[];
} {
  const blocks: string[] = [];
  if (input.freeze) {
    const scope = input.freeze.scope === 'all' ? 'all services' : input.freeze.scope;
    blocks.push(
      `Releases of ${scope} are frozen by ${person(input.freeze.by)}${
        input.freeze.reason ? ` (${input.freeze.reason})` : ''
      }. Use --hotfix "reason" for an urgent fix, or /release unfreeze.`,
    );
  }
  if (input.incidentFreeze) blocks.push(input.incidentFreeze);
  if (!input.window.open) blocks.push(input.window.refusal ?? 'This is outside the release windows.');
  if (blocks.length === 0) return { refusal: null, overrides: [], notes: [] };
  if (input.hotfix) {
    return {
      refusal: null,
      overrides: blocks.map((b) => `hotfix override: ${withoutAdvice(b)}`),
      notes: [],
    };
  }
  if (input.dryRun)
    return { refusal: null, overrides: [], notes: blocks.map((b) => `A real start would be refused: ${b}`) };
  return { refusal: blocks.join(' '), overrides: [], notes: [] };
}

/**
 * A block without its closing advice ("Use --hotfix …"): what was overridden, whole. Cutting at the
 * first ". " lost the rest of an incident title or freeze reason holding one, and the channel after it.
 */
function withoutAdvice(block: string): string {
  const at = block.lastIndexOf(' Use --hotfix');
  return (at < 0 ? block : block.slice(0, at)).replace(/\.$/, '');
}

/**
 * Null when the actor may freeze or unfreeze: an approver or operator of an affected service and
 * environment (anyone, when the runbook names no approvers there).
 */
export function freezeRefusal(plans: readonly ReleasePlan[], actor: Actor, scope: string): string | null {
  for (const plan of plans) {
    const { approvers, operators } = plan.approvals;
    if (approvers.length === 0 || isListed(actor, approvers) || isListed(actor, operators)) return null;
  }
  return `Only approvers and operators of ${scope === 'all' ? 'a service' : scope} can freeze or unfreeze releases.`;
}
