// Starting a release: check the request and the start policy (windows, freezes), let the machine
// start it, and create it under the service/environment lock.
import { describeState, startRelease } from '../release/machine.ts';
import { startPolicy } from '../release/policy.ts';
import { person } from '../release/person.ts';
import type { Release } from '../release/types.ts';
import { validateVersion } from '../config/version.ts';
import { isWithinWindows, windowRefusal } from '../config/windows.ts';
import { downgradeRefusal, incidentFreezeBlock } from '../release/start-guards.ts';
import { auditRefusal, badInput, isFinal, newReleaseId, refused, splitEffects } from './kit.ts';
import type { EngineKit, EngineResult, StartRequest } from './types.ts';
import { checkPromotion } from './promotion.ts';
import { promotionPolicy } from '../release/promotion.ts';
import { defaultEnvironment } from '../config/targets.ts';

/** How long a refused start waits for the active release's card to exist, to link to it (ms). */
const CARD_WAIT_STEP_MS = 200;
const CARD_WAIT_ROUNDS = 10;

export async function startNewRelease(kit: EngineKit, req: StartRequest): Promise<EngineResult> {
  const version = validateVersion(req.version);
  if (!version.ok) return badInput(`That version is not valid: ${version.error}.`);
  const ctx = kit.runbook();
  const found = ctx.target({ service: req.service, environment: req.environment });
  if (!found.ok) return badInput(found.error);
  const { service, environment } = found.target;
  const notes = req.notes?.trim();
  if (notes && notes.length > 1000)
    return badInput(`Release notes are limited to 1,000 characters (these have ${notes.length}).`);

  const now = kit.clock();
  const resolved = ctx.resolve(service, environment);
  const window = isWithinWindows(resolved.windows, now);
  const freeze = await kit.store.frozen(service);
  const hotfix = req.hotfix?.trim() ? { reason: req.hotfix.trim() } : undefined;
  const incidentFreeze = resolved.freezeOnIncident
    ? incidentFreezeBlock(resolved.freezeOnIncident, (await kit.openIncidents?.()) ?? [])
    : null;
  const policy = startPolicy({
    window: window.open
      ? { open: true }
      : { open: false, refusal: windowRefusal({ service, environment, windows: resolved.windows, now }) },
    freeze: freeze ? { scope: freeze.scope, by: freeze.by, reason: freeze.reason } : null,
    incidentFreeze,
    ...(hotfix ? { hotfix } : {}),
    dryRun: req.dryRun ?? false,
  });
  if (policy.refusal) {
    await auditRefusal(kit, req.requester, 'release.start_refused', {
      service,
      environment,
      reason: policy.refusal,
    });
    return refused(incidentFreeze ? 'incident_open' : 'blocked_by_policy', policy.refusal);
  }
  const promotion = resolved.promotion
    ? promotionPolicy(
        await checkPromotion(kit, { service, environment, version: version.version }, resolved.promotion),
        { hotfix: hotfix !== undefined, dryRun: req.dryRun ?? false },
      )
    : null;
  if (promotion?.refusal) {
    await auditRefusal(kit, req.requester, 'release.start_refused', {
      service,
      environment,
      reason: promotion.refusal,
    });
    return refused('not_promoted', promotion.refusal);
  }
  const previousVersion = (await kit.store.deployedVersion(service, environment)) ?? resolved.previousVersion;
  const downgrade = downgradeRefusal({
    service,
    environment,
    version: version.version,
    live: previousVersion,
    defaultEnvironment: defaultEnvironment(ctx.runbook),
  });
  const overrides = [...policy.overrides];
  const dryRunNotes = [...policy.notes];
  if (downgrade && req.downgrade) overrides.push(`downgrade from ${previousVersion} to ${version.version}`);
  else if (downgrade && req.dryRun) dryRunNotes.push(`A real start would be refused: ${downgrade}`);
  else if (downgrade) {
    await auditRefusal(kit, req.requester, 'release.start_refused', {
      service,
      environment,
      reason: downgrade,
    });
    return refused('downgrade', downgrade);
  }
  const id = (kit.newId ?? newReleaseId)(service, environment, now);
  const decision = startRelease(
    {
      id,
      service,
      environment,
      version: version.version,
      previousVersion,
      requester: req.requester,
      ...(notes ? { notes } : {}),
      ...(hotfix ? { hotfix } : {}),
      dryRun: req.dryRun ?? false,
      plan: ctx.plan(service, environment),
      overrides: [...overrides, ...(promotion?.overrides ?? [])],
      dryRunNotes: [...dryRunNotes, ...(promotion?.notes ?? [])],
    },
    now,
  );
  const release: Release = {
    ...decision.release,
    rev: 1,
    ...(req.originChannel ? { originChannel: req.originChannel } : {}),
    ...(req.promotedFrom ? { promotedFrom: req.promotedFrom } : {}),
  };
  const { effects, audit } = splitEffects(release, decision.effects);
  const created = await kit.store.create(release, { lock: !release.dryRun, effects, audit });
  if (!created.ok) {
    const active = await withCard(kit, created.activeId);
    const reason = `${service} is already being released to ${environment}: ${describeActive(active, created.activeId)}. One release per service and environment at a time.`;
    await auditRefusal(kit, req.requester, 'release.start_refused', {
      service,
      environment,
      reason,
      activeId: created.activeId,
    });
    return refused('busy', reason);
  }
  kit.observe?.({ ...release, state: 'preflight', stages: [] }, release, { type: 'started' });
  await kit.dispatcher.flush(id);
  return { ok: true, release };
}

/**
 * The active release, given a moment to get its card when it has none yet (it was started an
 * instant ago, as in two simultaneous starts), so a refusal can link to it.
 */
async function withCard(kit: EngineKit, releaseId: string): Promise<Release | null> {
  for (let wait = 0; ; wait++) {
    const release = await kit.store.get(releaseId);
    if (!release || release.card || isFinal(release) || wait >= CARD_WAIT_ROUNDS) return release;
    await new Promise((resolve) => setTimeout(resolve, CARD_WAIT_STEP_MS));
  }
}

function describeActive(active: Release | null, id: string): string {
  if (!active) return id;
  const where = active.card
    ? ` — https://slack.com/archives/${active.card.channel}/p${active.card.ts.replace('.', '')}`
    : '';
  return `${active.version} by ${person(active.requester)}, ${describeState(active.state)} (${active.id})${where}`;
}
