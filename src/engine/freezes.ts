// `/release freeze` and `unfreeze`: who may, and the freeze records in the store.
import { freezeRefusal } from '../release/policy.ts';
import type { Actor } from '../release/types.ts';
import { listTargets } from '../config/runbook.ts';
import { auditRefusal, badInput, refused } from './kit.ts';
import { memberGroups, withUnreadable } from './actor-groups.ts';
import type { EngineKit, Refused } from './types.ts';

export type FreezeResult = Refused | { ok: true; scope: string };

export async function freeze(
  kit: EngineKit,
  scope: string,
  actor: Actor,
  reason: string,
): Promise<FreezeResult> {
  const unknown = checkScope(kit, scope);
  if (unknown) return badInput(unknown);
  const check = await freezePermission(kit, scope, actor);
  if (check) return refused('not_allowed', check);
  await kit.store.freeze(scope, actor.user, reason);
  await kit.audit.append({ actor: actor.user, action: 'freeze', details: { scope, reason } });
  return { ok: true, scope };
}

/** Lifts the freeze of a service, or with `all` every freeze (of all services and of each one). */
export async function unfreeze(kit: EngineKit, scope: string, actor: Actor): Promise<FreezeResult> {
  const unknown = checkScope(kit, scope);
  if (unknown) return badInput(unknown);
  const check = await freezePermission(kit, scope, actor);
  if (check) return refused('not_allowed', check);
  const lifted =
    scope === 'all' ? await kit.store.unfreezeAll() : (await kit.store.unfreeze(scope)) ? [scope] : [];
  if (lifted.length === 0)
    return refused('nothing_to_do', `${scope === 'all' ? 'Nothing is' : `${scope} is not`} frozen.`);
  await kit.audit.append({ actor: actor.user, action: 'unfreeze', details: { scope, lifted } });
  return { ok: true, scope };
}

async function freezePermission(kit: EngineKit, scope: string, actor: Actor): Promise<string | null> {
  const ctx = kit.runbook();
  const plans = listTargets(ctx.runbook)
    .filter((t) => scope === 'all' || t.service === scope)
    .map((t) => ctx.plan(t.service, t.environment));
  const groups = [
    ...new Set(
      plans
        .flatMap((p) => [...p.approvals.approvers, ...p.approvals.operators])
        .filter((id) => id.startsWith('S')),
    ),
  ];
  const found = await memberGroups(kit, actor.user, groups);
  const refusal = freezeRefusal(plans, { ...actor, groups: found.groups }, scope);
  const denied = refusal && withUnreadable(refusal, found.unreadable);
  if (denied) await auditRefusal(kit, actor.user, 'refused.freeze', { scope, reason: denied });
  return denied;
}

function checkScope(kit: EngineKit, scope: string): string | null {
  if (scope === 'all') return null;
  const services = Object.keys(kit.runbook().runbook.services);
  return services.includes(scope)
    ? null
    : `There is no service "${scope}" in the runbook; it has ${services.join(', ')} (or say all).`;
}
