// `/release rollback`: roll back the active release of a service, or — when none is active — the
// last finished one that left its version running, as a new release of kind 'rollback'.
import { startRollbackRelease } from '../release/machine.ts';
import { operateRefusal } from '../release/policy.ts';
import { person } from '../release/person.ts';
import { rollbackTargetPicker, stagesLeftToUndo } from '../release/rollback-target.ts';
import type { Release, ReleaseEvent } from '../release/types.ts';
import { validateVersion } from '../config/version.ts';
import { auditRefusal, badInput, newReleaseId, refused, splitEffects } from './kit.ts';
import { withGroups, withUnreadable } from './actor-groups.ts';
import type { EngineKit, EngineResult, RollbackRequest } from './types.ts';
import { activeOfService } from './active-of-service.ts';

type Apply = (releaseId: string, event: ReleaseEvent) => Promise<EngineResult>;

/**
 * With no service named, the one active release is meant, else the runbook's sole service. The
 * target is its previous version, or `toVersion`.
 */
export async function requestRollback(
  kit: EngineKit,
  apply: Apply,
  req: RollbackRequest,
): Promise<EngineResult> {
  const ctx = kit.runbook();
  let target: { service: string; environment: string } | undefined;
  if (req.service === undefined && req.environment === undefined) {
    const active = await kit.store.listActive();
    if (active.length === 1) target = { service: active[0]!.service, environment: active[0]!.environment };
    if (active.length > 1)
      return badInput(
        `${active.length} releases are active (${active.map((r) => r.service).join(', ')}); say which service.`,
      );
  }
  if (!target && req.service !== undefined && req.environment === undefined) {
    const only = await activeOfService(kit.store, req.service, 'rollback');
    if (only && 'refusal' in only) return only.refusal;
    if (only) target = { service: only.release.service, environment: only.release.environment };
  }
  if (!target) {
    const found = ctx.target({ service: req.service, environment: req.environment });
    if (!found.ok) return badInput(found.error);
    target = found.target;
  }
  const { service, environment } = target;
  if (req.toVersion !== undefined) {
    const v = validateVersion(req.toVersion);
    if (!v.ok) return badInput(`That version is not valid: ${v.error}.`);
  }
  const activeId = await kit.store.activeId(service, environment);
  if (activeId) {
    if (req.toVersion) {
      const active = await kit.store.get(activeId);
      if (active && active.previousVersion !== req.toVersion) {
        return refused(
          'wrong_state',
          `The active release of ${service} rolls back to ${active.previousVersion ?? 'its previous version'}, not ${req.toVersion}. Roll it back first, then start a release of ${req.toVersion}.`,
        );
      }
    }
    return apply(activeId, {
      type: 'rollbackRequested',
      actor: req.actor,
      ...(req.reason ? { reason: req.reason } : {}),
    });
  }
  const last = await kit.store.findInHistory(service, environment, rollbackTargetPicker());
  if (!last)
    return refused(
      'not_found',
      `${service} has no active release in ${environment}, and no finished one left running to roll back.`,
    );
  const toVersion = req.toVersion ?? last.previousVersion;
  if (!toVersion)
    return refused(
      'not_found',
      `Runway does not know the version before ${last.version}; say which: /release rollback ${service} to <version>.`,
    );
  const plan = ctx.plan(service, environment);
  const probe: Release = { ...last, plan };
  const asked = await withGroups(kit, probe, { type: 'rollbackRequested', actor: req.actor });
  const refusal = operateRefusal(plan, probe, asked.event.actor, 'roll back');
  const denied = refusal && withUnreadable(refusal, asked.unreadable);
  if (denied) {
    await auditRefusal(kit, req.actor.user, 'refused.rollbackRequested', {
      releaseId: last.id,
      reason: denied,
    });
    return refused('not_allowed', denied);
  }
  const now = kit.clock();
  const id = (kit.newId ?? newReleaseId)(service, environment, now);
  const decision = startRollbackRelease(
    {
      id,
      service,
      environment,
      version: last.version,
      previousVersion: toVersion,
      requester: req.actor.user,
      plan,
      reason: req.reason?.trim() || `rollback of ${last.version} requested by ${person(req.actor.user)}`,
      over: {
        stages: last.plan.stages,
        started: stagesLeftToUndo(last),
      },
    },
    now,
  );
  const release = { ...decision.release, rev: 1 };
  const { effects, audit } = splitEffects(release, decision.effects);
  const created = await kit.store.create(release, { lock: true, effects, audit });
  if (!created.ok)
    return refused(
      'busy',
      `${service} is busy in ${environment} (${created.activeId}); try again when it ends.`,
    );
  await kit.dispatcher.flush(id);
  return { ok: true, release };
}
