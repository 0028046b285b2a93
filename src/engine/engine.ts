// The engine: what the Slack layer and the jobs call. Each call loads the release, asks the pure
// machine, saves the new state with its effects and audit entries in one compare-and-set write, and
// dispatches the effects. A losing writer reloads and decides again.
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.ts';
import { decide, describeState, isNoop, startRelease, startRollbackRelease } from '../release/machine.ts';
import { freezeRefusal, operateRefusal, startPolicy } from '../release/policy.ts';
import { rollbackTargetPicker } from '../release/rollback-target.ts';
import type { Actor, DecideResult, Effect, Release, ReleaseEvent } from '../release/types.ts';
import { FINAL_STATES } from '../release/types.ts';
import type { ReleaseStore, FreezeInfo } from '../store/release-store.ts';
import type { AuditLog, AuditEntry, AuditEntryInput } from '../store/audit-log.ts';
import { validateVersion } from '../config/version.ts';
import { listTargets } from '../config/runbook.ts';
import { isWithinWindows, windowRefusal } from '../config/windows.ts';
import type { RunbookContext } from './runbook-context.ts';
import type { Dispatcher } from './dispatcher.ts';

export interface Refused {
  ok: false;
  reason: string;
  /** The request named something that does not exist (service, environment, version, release): the reply adds the usage line. */
  badInput?: true;
}
export interface Accepted {
  ok: true;
  release: Release;
}
export type EngineResult = Accepted | Refused;

export interface StartRequest {
  service?: string;
  environment?: string;
  version: string;
  requester: string;
  notes?: string;
  hotfix?: string;
  dryRun?: boolean;
  /** Where the request came from (Slack channel id). */
  originChannel?: string;
}

export interface RollbackRequest {
  service?: string;
  environment?: string;
  toVersion?: string;
  reason?: string;
  actor: Actor;
}

/** Resolves which of the runbook's user groups a user belongs to (Slack: usergroups.users.list). */
export type GroupResolver = (user: string, groups: readonly string[]) => Promise<string[]>;

export interface EngineDeps {
  store: ReleaseStore;
  audit: AuditLog;
  runbook: () => RunbookContext;
  dispatcher: Dispatcher;
  log: Logger;
  clock?: () => Date;
  groups?: GroupResolver;
  newId?: (service: string, environment: string, now: Date) => string;
  /** Sees every saved decision (metrics). */
  observe?: (before: Release, after: Release, event: ReleaseEvent | { type: 'started' }) => void;
}

const MAX_WRITE_ATTEMPTS = 20;
/** How long a refused start waits for the active release's card to exist, to link to it (ms). */
const CARD_WAIT_STEP_MS = 200;
const CARD_WAIT_ROUNDS = 10;

export class Engine {
  private readonly clock: () => Date;

  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  // ---- starting ------------------------------------------------------------------------------

  async start(req: StartRequest): Promise<EngineResult> {
    const version = validateVersion(req.version);
    if (!version.ok) return badInput(`That version is not valid: ${version.error}.`);
    const ctx = this.deps.runbook();
    const found = ctx.target({ service: req.service, environment: req.environment });
    if (!found.ok) return badInput(found.error);
    const { service, environment } = found.target;
    const notes = req.notes?.trim();
    if (notes && notes.length > 1000)
      return badInput(`Release notes are limited to 1,000 characters (these have ${notes.length}).`);

    const now = this.clock();
    const resolved = ctx.resolve(service, environment);
    const window = isWithinWindows(resolved.windows, now);
    const freeze = await this.deps.store.frozen(service);
    const hotfix = req.hotfix?.trim() ? { reason: req.hotfix.trim() } : undefined;
    const policy = startPolicy({
      window: window.open
        ? { open: true }
        : { open: false, refusal: windowRefusal({ service, environment, windows: resolved.windows, now }) },
      freeze: freeze ? { scope: freeze.scope, by: freeze.by, reason: freeze.reason } : null,
      ...(hotfix ? { hotfix } : {}),
      dryRun: req.dryRun ?? false,
    });
    if (policy.refusal) {
      await this.auditRefusal(req.requester, 'release.start_refused', {
        service,
        environment,
        reason: policy.refusal,
      });
      return refused(policy.refusal);
    }
    const previousVersion =
      (await this.deps.store.deployedVersion(service, environment)) ?? resolved.previousVersion;
    const id = (this.deps.newId ?? newReleaseId)(service, environment, now);
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
        overrides: policy.overrides,
        dryRunNotes: policy.notes,
      },
      now,
    );
    const release: Release = {
      ...decision.release,
      rev: 1,
      ...(req.originChannel ? { originChannel: req.originChannel } : {}),
    };
    const { effects, audit } = this.split(release, decision.effects);
    const created = await this.deps.store.create(release, { lock: !release.dryRun, effects, audit });
    if (!created.ok) {
      const active = await this.withCard(created.activeId);
      const reason = `${service} is already being released to ${environment}: ${describeActive(active, created.activeId)}. One release per service and environment at a time.`;
      await this.auditRefusal(req.requester, 'release.start_refused', {
        service,
        environment,
        reason,
        activeId: created.activeId,
      });
      return refused(reason);
    }
    this.deps.observe?.({ ...release, state: 'preflight', stages: [] }, release, { type: 'started' });
    await this.deps.dispatcher.flush(id);
    return { ok: true, release };
  }

  // ---- events --------------------------------------------------------------------------------

  /**
   * Apply an event to a release: decide, save (compare-and-set), dispatch. `known` is the release as
   * the caller just read it: the first attempt decides on it instead of reading it again, and if it
   * is stale the save fails on its rev and the next attempt reads the stored one.
   */
  async apply(releaseId: string, event: ReleaseEvent, known?: Release): Promise<EngineResult> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const fromKnown = attempt === 0 && known?.id === releaseId;
      const current = fromKnown ? known : await this.deps.store.get(releaseId);
      if (!current) return refused(`There is no release ${releaseId}.`);
      const result: DecideResult = decide(current, await this.withGroups(current, event), this.clock());
      // A refusal or a no-op is only final when decided on the stored release, not on the caller's copy.
      if (fromKnown && (result.refused || isNoop(current, result))) continue;
      if (result.refused) {
        if ('actor' in event)
          await this.auditRefusal(event.actor.user, `refused.${event.type}`, {
            releaseId,
            reason: result.reason,
          });
        return refused(result.reason);
      }
      if (isNoop(current, result)) return { ok: true, release: current };
      const next = { ...result.release, rev: current.rev + 1 };
      const { effects, audit } = this.split(next, result.effects);
      if (await this.deps.store.save(next, current.rev, { effects, audit })) {
        this.deps.observe?.(current, next, event);
        await this.deps.dispatcher.flush(releaseId);
        return { ok: true, release: next };
      }
      // Another writer won: decide again on what it wrote.
    }
    throw new Error(`release ${releaseId}: gave up after ${MAX_WRITE_ATTEMPTS} conflicting writes`);
  }

  approve(releaseId: string, actor: Actor) {
    return this.apply(releaseId, { type: 'approved', actor });
  }
  reject(releaseId: string, actor: Actor, reason?: string) {
    return this.apply(releaseId, { type: 'rejected', actor, ...(reason ? { reason } : {}) });
  }
  tick(releaseId: string, itemId: string, actor: Actor, checked = true) {
    return this.apply(releaseId, { type: 'preflightTicked', itemId, actor, checked });
  }
  rerunPreflight(releaseId: string, actor: Actor) {
    return this.apply(releaseId, { type: 'preflightRerun', actor });
  }
  pause(releaseId: string, actor: Actor, reason?: string) {
    return this.apply(releaseId, { type: 'pauseRequested', actor, ...(reason ? { reason } : {}) });
  }
  resume(releaseId: string, actor: Actor) {
    return this.apply(releaseId, { type: 'resumeRequested', actor });
  }
  abort(releaseId: string, actor: Actor, reason?: string) {
    return this.apply(releaseId, { type: 'abortRequested', actor, ...(reason ? { reason } : {}) });
  }
  /** `stageIndex`: the stage a card's Promote button was shown for (none from /release promote). */
  promote(releaseId: string, actor: Actor, stageIndex?: number) {
    return this.apply(releaseId, {
      type: 'promoteRequested',
      actor,
      ...(stageIndex !== undefined ? { stageIndex } : {}),
    });
  }

  /**
   * Roll back the active release of a service, or — when none is active — the last finished one that
   * left its version running (see rollbackTargetPicker), to its previous version (or to `toVersion`).
   * With no service named, the one active release is meant, else the runbook's sole service.
   */
  async rollback(req: RollbackRequest): Promise<EngineResult> {
    const ctx = this.deps.runbook();
    let target: { service: string; environment: string } | undefined;
    if (req.service === undefined && req.environment === undefined) {
      const active = await this.deps.store.listActive();
      if (active.length === 1) target = { service: active[0]!.service, environment: active[0]!.environment };
      if (active.length > 1)
        return badInput(
          `${active.length} releases are active (${active.map((r) => r.service).join(', ')}); say which service.`,
        );
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
    const activeId = await this.deps.store.activeId(service, environment);
    if (activeId) {
      if (req.toVersion) {
        const active = await this.deps.store.get(activeId);
        if (active && active.previousVersion !== req.toVersion) {
          return refused(
            `The active release of ${service} rolls back to ${active.previousVersion ?? 'its previous version'}, not ${req.toVersion}. Roll it back first, then start a release of ${req.toVersion}.`,
          );
        }
      }
      return this.apply(activeId, {
        type: 'rollbackRequested',
        actor: req.actor,
        ...(req.reason ? { reason: req.reason } : {}),
      });
    }
    const last = await this.deps.store.findInHistory(service, environment, rollbackTargetPicker());
    if (!last)
      return refused(
        `${service} has no active release in ${environment}, and no finished one left running to roll back.`,
      );
    const toVersion = req.toVersion ?? last.previousVersion;
    if (!toVersion)
      return refused(
        `Runway does not know the version before ${last.version}; say which: /release rollback ${service} to <version>.`,
      );
    const plan = ctx.plan(service, environment);
    const probe: Release = { ...last, plan };
    const asked = await this.withGroups(probe, { type: 'rollbackRequested', actor: req.actor });
    const denied = operateRefusal(plan, probe, asked.actor, 'roll back');
    if (denied) {
      await this.auditRefusal(req.actor.user, 'refused.rollbackRequested', {
        releaseId: last.id,
        reason: denied,
      });
      return refused(denied);
    }
    const now = this.clock();
    const id = (this.deps.newId ?? newReleaseId)(service, environment, now);
    const decision = startRollbackRelease(
      {
        id,
        service,
        environment,
        version: last.version,
        previousVersion: toVersion,
        requester: req.actor.user,
        plan,
        reason: req.reason?.trim() || `rollback of ${last.version} requested by <@${req.actor.user}>`,
      },
      now,
    );
    const release = { ...decision.release, rev: 1 };
    const { effects, audit } = this.split(release, decision.effects);
    const created = await this.deps.store.create(release, { lock: true, effects, audit });
    if (!created.ok)
      return refused(`${service} is busy in ${environment} (${created.activeId}); try again when it ends.`);
    await this.deps.dispatcher.flush(id);
    return { ok: true, release };
  }

  // ---- freezes -------------------------------------------------------------------------------

  async freeze(
    scope: string,
    actor: Actor,
    reason: string,
  ): Promise<EngineResult | { ok: true; scope: string }> {
    const unknown = this.checkScope(scope);
    if (unknown) return badInput(unknown);
    const check = await this.freezePermission(scope, actor);
    if (check) return refused(check);
    await this.deps.store.freeze(scope, actor.user, reason);
    await this.deps.audit.append({ actor: actor.user, action: 'freeze', details: { scope, reason } });
    return { ok: true, scope };
  }

  /** Lifts the freeze of a service, or with `all` every freeze (of all services and of each one). */
  async unfreeze(scope: string, actor: Actor): Promise<EngineResult | { ok: true; scope: string }> {
    const unknown = this.checkScope(scope);
    if (unknown) return badInput(unknown);
    const check = await this.freezePermission(scope, actor);
    if (check) return refused(check);
    const lifted =
      scope === 'all'
        ? await this.deps.store.unfreezeAll()
        : (await this.deps.store.unfreeze(scope))
          ? [scope]
          : [];
    if (lifted.length === 0) return refused(`${scope === 'all' ? 'Nothing is' : `${scope} is not`} frozen.`);
    await this.deps.audit.append({ actor: actor.user, action: 'unfreeze', details: { scope, lifted } });
    return { ok: true, scope };
  }

  freezes(): Promise<Record<string, FreezeInfo>> {
    return this.deps.store.listFreezes();
  }

  private async freezePermission(scope: string, actor: Actor): Promise<string | null> {
    const ctx = this.deps.runbook();
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
    const withGroups =
      groups.length && this.deps.groups
        ? { ...actor, groups: await this.deps.groups(actor.user, groups) }
        : actor;
    const denied = freezeRefusal(plans, withGroups, scope);
    if (denied) await this.auditRefusal(actor.user, 'refused.freeze', { scope, reason: denied });
    return denied;
  }

  private checkScope(scope: string): string | null {
    if (scope === 'all') return null;
    const services = Object.keys(this.deps.runbook().runbook.services);
    return services.includes(scope)
      ? null
      : `There is no service "${scope}" in the runbook; it has ${services.join(', ')} (or say all).`;
  }

  // ---- reading -------------------------------------------------------------------------------

  get(releaseId: string): Promise<Release | null> {
    return this.deps.store.get(releaseId);
  }

  /** The active release of a service (the sole service when left out), in an environment. */
  async findActive(service?: string, environment?: string): Promise<EngineResult> {
    const ctx = this.deps.runbook();
    if (service === undefined && environment === undefined) {
      const active = await this.deps.store.listActive();
      if (active.length === 1) return { ok: true, release: active[0]! };
      if (active.length === 0) return refused('No release is active.');
      return badInput(
        `${active.length} releases are active (${active.map((r) => r.service).join(', ')}); say which service.`,
      );
    }
    const found = ctx.target({ service, environment });
    if (!found.ok) return badInput(found.error);
    const id = await this.deps.store.activeId(found.target.service, found.target.environment);
    const release = id ? await this.deps.store.get(id) : null;
    if (!release)
      return refused(`No release of ${found.target.service} is active in ${found.target.environment}.`);
    return { ok: true, release };
  }

  async list(service?: string): Promise<Release[]> {
    const all = await this.deps.store.listActive();
    return (service ? all.filter((r) => r.service === service) : all).sort((a, b) =>
      a.createdAt.localeCompare(b.createdAt),
    );
  }

  /** Remember where the release's card was posted (not a release event: nothing else changes). */
  async attachCard(releaseId: string, card: { channel: string; ts: string }): Promise<Release | null> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.deps.store.get(releaseId);
      if (!current) return null;
      if (current.card) return current;
      const next = { ...current, card, rev: current.rev + 1 };
      if (await this.deps.store.save(next, current.rev, { effects: [], audit: [] })) return next;
    }
    throw new Error(`release ${releaseId}: could not attach its card`);
  }

  history(service?: string, limit = 20): Promise<Release[]> {
    return this.deps.store.history(service, limit);
  }

  auditTrail(releaseId: string): Promise<AuditEntry[]> {
    return this.deps.audit.forRelease(releaseId);
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Audit effects are written with the release; every other effect goes to the outbox. */
  private split(release: Release, all: Effect[]): { effects: Effect[]; audit: AuditEntryInput[] } {
    const effects: Effect[] = [];
    const audit: AuditEntryInput[] = [];
    for (const fx of all) {
      if (fx.type === 'audit') {
        audit.push({
          actor: fx.actor,
          action: fx.action,
          releaseId: release.id,
          service: release.service,
          environment: release.environment,
          ...(fx.details ? { details: fx.details } : {}),
        });
      } else {
        effects.push(fx);
      }
    }
    return { effects, audit };
  }

  /** Fill in which of the runbook's groups the actor belongs to, so the machine can check approvers. */
  private async withGroups<E extends ReleaseEvent>(release: Release, event: E): Promise<E> {
    if (!('actor' in event) || !this.deps.groups) return event;
    const { approvers, operators } = release.plan.approvals;
    const groups = [...approvers, ...operators].filter((id) => id.startsWith('S'));
    if (groups.length === 0) return event;
    const memberOf = await this.deps.groups(event.actor.user, groups);
    return { ...event, actor: { ...event.actor, groups: memberOf } };
  }

  /**
   * The active release, given a moment to get its card when it has none yet (it was started an
   * instant ago, as in two simultaneous starts), so a refusal can link to it.
   */
  private async withCard(releaseId: string): Promise<Release | null> {
    for (let wait = 0; ; wait++) {
      const release = await this.deps.store.get(releaseId);
      if (!release || release.card || isFinal(release) || wait >= CARD_WAIT_ROUNDS) return release;
      await new Promise((resolve) => setTimeout(resolve, CARD_WAIT_STEP_MS));
    }
  }

  /** A slash command refused for its text (nothing else happened): audited with who typed what. */
  async auditBadCommand(user: string, text: string, reason: string): Promise<void> {
    await this.auditRefusal(user, 'refused.command', { command: text.slice(0, 1200), reason });
  }

  private async auditRefusal(actor: string, action: string, details: Record<string, unknown>): Promise<void> {
    await this.deps.audit.append({
      actor,
      action,
      ...(typeof details.releaseId === 'string' ? { releaseId: details.releaseId } : {}),
      ...(typeof details.service === 'string' ? { service: details.service } : {}),
      ...(typeof details.environment === 'string' ? { environment: details.environment } : {}),
      details,
    });
    this.deps.log.info({ actor, action, ...details }, 'refused');
  }
}

function refused(reason: string): Refused {
  return { ok: false, reason };
}

function badInput(reason: string): Refused {
  return { ok: false, reason, badInput: true };
}

function describeActive(active: Release | null, id: string): string {
  if (!active) return id;
  const where = active.card
    ? ` — https://slack.com/archives/${active.card.channel}/p${active.card.ts.replace('.', '')}`
    : '';
  return `${active.version} by <@${active.requester}>, ${describeState(active.state)} (${active.id})${where}`;
}

/** `checkout-production-mfx3k2a-9f1c`: readable, sortable by time, no `:` (BullMQ job ids). */
export function newReleaseId(service: string, environment: string, now: Date): string {
  return `${service}-${environment}-${now.getTime().toString(36)}-${randomBytes(2).toString('hex')}`;
}

export function isFinal(release: Release): boolean {
  return FINAL_STATES.includes(release.state);
}
