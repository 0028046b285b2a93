// The engine: what the Slack layer and the jobs call. Each call loads the release, asks the pure
// machine, saves the new state with its effects and audit entries in one compare-and-set write, and
// dispatches the effects. A losing writer reloads and decides again. Starting, rolling back a
// finished release and freezes live in start.ts, rollback.ts and freezes.ts.
import { decide, isNoop } from '../release/machine.ts';
import type { Actor, DecideResult, Release, ReleaseEvent } from '../release/types.ts';
import type { FreezeInfo } from '../store/release-store.ts';
import type { AuditEntry } from '../store/audit-log.ts';
import { auditRefusal, refused, splitEffects } from './kit.ts';
import { explainRefusal, withGroups } from './actor-groups.ts';
import { startNewRelease } from './start.ts';
import { requestRollback } from './rollback.ts';
import { freeze, unfreeze, type FreezeResult } from './freezes.ts';
import { linkPromotion, startPromotion } from './promotion.ts';
import { badInput } from './kit.ts';
import { splitInline, type Cadence } from './inline-effects.ts';
import { activeOfService } from './active-of-service.ts';
import type { EngineDeps, EngineKit, EngineResult, Refused, RollbackRequest, StartRequest } from './types.ts';

export type {
  Accepted,
  EngineDeps,
  EngineResult,
  GroupResolver,
  Refused,
  RollbackRequest,
  StartRequest,
} from './types.ts';
export { isFinal, newReleaseId } from './kit.ts';

const MAX_WRITE_ATTEMPTS = 20;

export class Engine {
  private readonly kit: EngineKit;

  constructor(deps: EngineDeps) {
    this.kit = { ...deps, clock: deps.clock ?? (() => new Date()) };
  }

  start(req: StartRequest): Promise<EngineResult> {
    return startNewRelease(this.kit, req);
  }

  /** The *Start in <env>* button of a completed release: a normal start there, as the clicker. */
  startIn(sourceId: string, environment: string, actor: Actor): Promise<EngineResult> {
    return startPromotion(this.kit, (req) => this.start(req), sourceId, environment, actor);
  }

  /**
   * Apply an event to a release: decide, save (compare-and-set), dispatch. `known` is the release as
   * the caller just read it: the first attempt decides on it instead of reading it again, and if it
   * is stale the save fails on its rev and the next attempt reads the stored one. `cadence`: the gate
   * sample this applies was due then (its next sample keeps the gate's cadence).
   */
  async apply(
    releaseId: string,
    event: ReleaseEvent,
    known?: Release,
    cadence?: Cadence,
  ): Promise<EngineResult> {
    const kit = this.kit;
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const fromKnown = attempt === 0 && known?.id === releaseId;
      const current = fromKnown ? known : await kit.store.get(releaseId);
      if (!current) return refused('not_found', `There is no release ${releaseId}.`);
      const asked = await withGroups(kit, current, event);
      const result: DecideResult = decide(current, asked.event, kit.clock());
      // A refusal or a no-op is only final when decided on the stored release, not on the caller's copy.
      if (fromKnown && (result.refused || isNoop(current, result))) continue;
      if (result.refused) {
        const refusal = explainRefusal(refused(result.code, result.reason), asked.unreadable);
        if ('actor' in event)
          await auditRefusal(kit, event.actor.user, `refused.${event.type}`, {
            releaseId,
            reason: refusal.reason,
          });
        return refusal;
      }
      if (isNoop(current, result)) return { ok: true, release: current };
      const next = { ...result.release, rev: current.rev + 1 };
      const { effects: all, audit } = splitEffects(next, result.effects, current, event);
      const now = kit.clock().getTime();
      const { inline, outbox: effects } = splitInline(releaseId, all, now, Date.now(), cadence);
      if (await kit.store.save(next, current.rev, { effects, audit, inline })) {
        kit.observe?.(current, next, event);
        // Nothing in the outbox (a steady gate sample): the save did it all.
        if (effects.length > 0) await kit.dispatcher.flush(releaseId);
        return { ok: true, release: next };
      }
      // Another writer won: decide again on what it wrote.
    }
    throw new Error(`release ${releaseId}: gave up after ${MAX_WRITE_ATTEMPTS} conflicting writes`);
  }

  /** The engine's clock: what the machine decides on. */
  now(): Date {
    return this.kit.clock();
  }

  /** A gate reading kept without a decision (jobs/steady-sample.ts): observed as a decision is. */
  observe(before: Release, after: Release, event: ReleaseEvent): void {
    this.kit.observe?.(before, after, event);
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

  /** Roll back the active release of a service, or the last finished one (see engine/rollback.ts). */
  rollback(req: RollbackRequest): Promise<EngineResult> {
    return requestRollback(this.kit, (id, event) => this.apply(id, event), req);
  }

  freeze(scope: string, actor: Actor, reason: string): Promise<FreezeResult> {
    return freeze(this.kit, scope, actor, reason);
  }

  unfreeze(scope: string, actor: Actor): Promise<FreezeResult> {
    return unfreeze(this.kit, scope, actor);
  }

  freezes(): Promise<Record<string, FreezeInfo>> {
    return this.kit.store.listFreezes();
  }

  // ---- reading -------------------------------------------------------------------------------

  /**
   * The refusal this event would get now, without applying it (audited like any refusal), or null:
   * a dialog that asks for a reason first is only opened for a click that would be allowed.
   */
  async check(releaseId: string, event: ReleaseEvent): Promise<Refused | null> {
    const current = await this.kit.store.get(releaseId);
    if (!current) return refused('not_found', `There is no release ${releaseId}.`);
    const asked = await withGroups(this.kit, current, event);
    const result = decide(current, asked.event, this.kit.clock());
    if (!result.refused) return null;
    const refusal = explainRefusal(refused(result.code, result.reason), asked.unreadable);
    if ('actor' in event)
      await auditRefusal(this.kit, event.actor.user, `refused.${event.type}`, {
        releaseId,
        reason: refusal.reason,
      });
    return refusal;
  }

  get(releaseId: string): Promise<Release | null> {
    return this.kit.store.get(releaseId);
  }

  /**
   * The active release of a service (the sole service when left out), in an environment (when left
   * out: the service's one active release, else the default environment). `verb` words a refusal.
   */
  async findActive(service?: string, environment?: string, verb = 'status'): Promise<EngineResult> {
    const { store } = this.kit;
    if (service === undefined && environment === undefined) {
      const active = await store.listActive();
      if (active.length === 1) return { ok: true, release: active[0]! };
      if (active.length === 0) return refused('not_found', 'No release is active.');
      return badInput(
        `${active.length} releases are active (${active.map((r) => r.service).join(', ')}); say which service.`,
      );
    }
    if (service !== undefined && environment === undefined) {
      const only = await activeOfService(store, service, verb);
      if (only) return 'release' in only ? { ok: true, release: only.release } : only.refusal;
    }
    const found = this.kit.runbook().target({ service, environment });
    if (!found.ok) return badInput(found.error);
    const id = await store.activeId(found.target.service, found.target.environment);
    const release = id ? await store.get(id) : null;
    if (!release)
      return refused(
        'not_found',
        `No release of ${found.target.service} is active in ${found.target.environment}.`,
      );
    return { ok: true, release };
  }

  async list(service?: string): Promise<Release[]> {
    const all = await this.kit.store.listActive();
    return (service ? all.filter((r) => r.service === service) : all).sort((a, b) =>
      a.createdAt.localeCompare(b.createdAt),
    );
  }

  /**
   * Remember where the release's card was posted: a `cardPosted` event like every other change (the
   * first location wins; a repeat is a no-op).
   */
  async attachCard(releaseId: string, card: { channel: string; ts: string }): Promise<Release | null> {
    const result = await this.apply(releaseId, { type: 'cardPosted', channel: card.channel, ts: card.ts });
    if (!result.ok) return null;
    await linkPromotion((id, event) => this.apply(id, event), result.release);
    return result.release;
  }

  history(service?: string, limit = 20): Promise<Release[]> {
    return this.kit.store.history(service, limit);
  }

  auditTrail(releaseId: string): Promise<AuditEntry[]> {
    return this.kit.audit.forRelease(releaseId);
  }

  /** A slash command refused for its text (nothing else happened): audited with who typed what. */
  async auditBadCommand(user: string, text: string, reason: string): Promise<void> {
    await auditRefusal(this.kit, user, 'refused.command', { command: text.slice(0, 1200), reason });
  }
}
