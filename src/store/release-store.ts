// Releases in Redis: the state, the lock, the history, the outbox of effects and the audit entries of
// one decision are written by one Lua script each, so a crash or a racing writer never leaves half of
// a decision behind.
import { waitForReplica } from '../redis/replicated.ts';
import type { Redis } from 'ioredis';
import type { SecretSet } from '../log.ts';
import { FINAL_STATES, type Release, type ReleasePlan } from '../release/types.ts';
import { packAuditEntries, prepareAuditEntry, type AuditEntryInput } from './audit-entry.ts';
import { DEFAULT_PREFIX, storeKeys, type StoreKeys } from './keys.ts';
import { runScript, scripts } from './scripts.ts';
import { FreezeStore, type FreezeInfo } from './freezes.ts';
import { ActionRuns } from './action-runs.ts';
import { Outbox, type OutboxBatch, type OutboxEffect } from './outbox.ts';
import { ControlFlags } from './control-flags.ts';
import { ReleaseReads } from './release-reads.ts';
import { actionRunStart, asStrings, joinPlan, stateJson } from './release-codec.ts';
import { StoreError } from '../errors.ts';
import { NO_INLINE_WRITES, type InlineWrites } from './inline-writes.ts';
import { isSteadySave, SteadySaves } from './steady-saves.ts';
import { outboxBatchJson, saveRelease } from './save-release.ts';
import { letGo } from './token-lock.ts';

export type { FreezeInfo } from './freezes.ts';
export type { OutboxBatch, OutboxEffect } from './outbox.ts';

export type ActionRunStart =
  | { status: 'started'; attempt: 1 }
  | { status: 'resumed'; attempt: number; previousOwner?: string }
  /** Another worker runs it and is alive (its heartbeat is recent): do not start it beside it. */
  | { status: 'busy'; attempt: number; previousOwner?: string }
  | { status: 'done'; attempt: number; result?: unknown };

export interface ReleaseStoreOptions {
  now?: () => Date;
  /** Defaults to the process-wide set in log.ts. */
  secretSet?: SecretSet;
}

export interface WriteExtras {
  effects: OutboxEffect[];
  audit: AuditEntryInput[];
  /** Redis writes done by the save itself (save only; see store/inline-writes.ts). */
  inline?: InlineWrites;
}

const ACTION_RUN_TTL_SECONDS = 30 * 24 * 3600;
/** A running action beats every ACTION_BEAT_MS; a beat older than this means its worker is gone. */
export const ACTION_BEAT_MS = 4000;
const ACTION_LIVE_MS = 20_000;

export class ReleaseStore {
  readonly keys: StoreKeys;
  private readonly now: () => Date;
  private readonly secretSet: SecretSet | undefined;
  /** Parsed plans by release id (a plan never changes): gets parse only the small changing state. */
  private readonly plans = new Map<string, ReleasePlan>();
  private readonly freezes: FreezeStore;
  private readonly runs: ActionRuns;
  private readonly outbox: Outbox;
  /** Cross-process flags (cancel a running action). */
  readonly flags: ControlFlags;
  private readonly reads: ReleaseReads;
  private readonly steady: SteadySaves;

  constructor(
    private readonly redis: Redis,
    prefix: string = DEFAULT_PREFIX,
    options: ReleaseStoreOptions = {},
  ) {
    this.keys = storeKeys(prefix);
    this.now = options.now ?? (() => new Date());
    this.secretSet = options.secretSet;
    this.freezes = new FreezeStore(redis, this.keys, this.now);
    this.runs = new ActionRuns(redis, this.keys, this.now);
    this.outbox = new Outbox(redis, this.keys);
    this.flags = new ControlFlags(redis, this.keys);
    this.reads = new ReleaseReads(redis, this.keys, this.plans);
    this.steady = new SteadySaves(redis, this.keys);
  }

  // ---- releases ------------------------------------------------------------------------------

  async get(id: string): Promise<Release | null> {
    const cached = this.plans.get(id);
    if (cached) {
      const json = await this.redis.hget(this.keys.release(id), 'json');
      return json === null ? null : this.withPlan(id, json, cached);
    }
    const [json = null, plan = null] = await this.redis.hmget(this.keys.release(id), 'json', 'plan');
    return json === null ? null : this.withPlan(id, json, plan);
  }

  /**
   * Creates a release atomically with its first effects and audit entries. With `lock`, it also
   * takes the service/environment lock, and refuses (writing nothing) when another release holds it.
   * Throws when a release with this id exists already.
   */
  async create(
    release: Release,
    options: WriteExtras & { lock: boolean },
  ): Promise<{ ok: true } | { ok: false; activeId: string }> {
    const k = this.keys;
    const reply = await runScript(
      this.redis,
      scripts.createRelease,
      [
        k.active(release.service, release.environment),
        k.release(release.id),
        k.activeSet(),
        k.outbox(),
        k.releaseOutbox(release.id),
        k.audit(),
      ],
      [
        release.id,
        String(release.rev),
        stateJson(release),
        options.lock ? '1' : '0',
        outboxBatchJson(release, options.effects),
        JSON.stringify(release.plan),
        ...this.auditArgs(options.audit),
      ],
    );
    const [status, holder] = asStrings(reply);
    if (status === 'ok') return { ok: true };
    if (status === 'locked' && holder) return { ok: false, activeId: holder };
    if (status === 'exists') throw new StoreError('exists', `release ${release.id} exists already`);
    throw new StoreError('bad_reply', `create release ${release.id}: unexpected reply from Redis`);
  }

  /**
   * Saves a new version of a release if the stored one still has `expectedRev` (optimistic
   * concurrency). The caller bumps the revision: `release.rev` must be `expectedRev + 1`.
   * Returns false, writing nothing, when another writer saved first: reload, decide again, retry.
   * A final state also moves the release to the history and frees its lock if it still holds it,
   * so a lost `releaseLock` effect can never leave a service locked.
   */
  async save(release: Release, expectedRev: number, extras: WriteExtras): Promise<boolean> {
    if (release.rev !== expectedRev + 1) {
      throw new StoreError(
        'bad_revision',
        `save release ${release.id}: rev must be expectedRev + 1 (${expectedRev + 1}), got ${release.rev}`,
      );
    }
    const final = FINAL_STATES.includes(release.state);
    const inline = extras.inline ?? NO_INLINE_WRITES;
    const steady = isSteadySave(final, extras.effects, extras.audit, inline);
    // A full save caps the chart itself; the next steady save starts over (arms and caps at once).
    if (!steady) this.steady.forget(release.id);
    const status = steady
      ? await this.steady.save(release, expectedRev, inline)
      : await saveRelease(this.redis, this.keys, {
          release,
          expectedRev,
          final,
          effects: extras.effects,
          inline,
          audit: this.auditArgs(extras.audit),
          nowMs: this.now().getTime(),
        });
    if (status === 1) return true;
    if (status === 0) return false;
    throw new StoreError('missing_release', `save release ${release.id}: no such release`);
  }

  /** Frees the lock only if `releaseId` still holds it; true when it did. */
  async releaseLock(service: string, environment: string, releaseId: string): Promise<boolean> {
    // The service lock's token is the release id that took it (create-release.lua).
    return letGo(this.redis, this.keys.active(service, environment), releaseId);
  }

  activeId(service: string, environment: string): Promise<string | null> {
    return this.redis.get(this.keys.active(service, environment));
  }

  listActive(): Promise<Release[]> {
    return this.reads.listActive();
  }
  /** Finished releases, newest first; one service's or all. */
  history(service?: string, limit = 20): Promise<Release[]> {
    return this.reads.history(service, limit);
  }
  /** Walks a service's finished releases in an environment, newest first, to the first `pick` takes. */
  findInHistory(
    service: string,
    environment: string,
    pick: (release: Release) => boolean,
  ): Promise<Release | null> {
    return this.reads.findInHistory(service, environment, pick);
  }

  deployedVersion(service: string, environment: string): Promise<string | null> {
    return this.redis.get(this.keys.deployed(service, environment));
  }

  async setDeployedVersion(service: string, environment: string, version: string): Promise<void> {
    await this.redis.set(this.keys.deployed(service, environment), version);
  }

  freeze(scope: string, by: string, reason: string): Promise<void> {
    return this.freezes.freeze(scope, by, reason);
  }
  unfreeze(scope: string): Promise<boolean> {
    return this.freezes.unfreeze(scope);
  }
  unfreezeAll(): Promise<string[]> {
    return this.freezes.unfreezeAll();
  }
  listFreezes(): Promise<Record<string, FreezeInfo>> {
    return this.freezes.list();
  }
  frozen(service: string): Promise<(FreezeInfo & { scope: string }) | null> {
    return this.freezes.frozen(service);
  }

  pendingOutbox(): Promise<string[]> {
    return this.outbox.pending();
  }
  claimOutbox(releaseId: string, token: string, ttlMs: number): Promise<OutboxBatch[] | null> {
    return this.outbox.claim(releaseId, token, ttlMs);
  }
  finishOutbox(releaseId: string, handled: number, token: string): Promise<number> {
    return this.outbox.finish(releaseId, handled, token);
  }

  // ---- exactly-once bookkeeping --------------------------------------------------------------

  /**
   * A step's first read in one round trip: its release (null when there is none: nothing begun) and
   * the start of its action run's bookkeeping. 'done' → do not run it, use `result`. 'resumed' → a
   * worker died while running it: run it again with the same idempotency key. 'started' → first run.
   * The store cannot tell a dead worker from a live one still running, so callers must make sure only
   * one job runs a given key at a time (BullMQ's job lock does, with deterministic job ids). The
   * caller still checks the step is current before running anything.
   */
  async beginStep(
    releaseId: string,
    key: string,
    owner: string,
  ): Promise<{ release: Release; run: ActionRunStart } | null> {
    const wantPlan = !this.plans.has(releaseId);
    const reply = await runScript(
      this.redis,
      scripts.beginStep,
      [this.keys.release(releaseId), this.keys.actionRun(key)],
      [
        owner,
        this.now().toISOString(),
        String(ACTION_RUN_TTL_SECONDS),
        wantPlan ? '1' : '0',
        String(ACTION_LIVE_MS),
      ],
    );
    const parts = asStrings(reply);
    if (parts.length === 0) return null;
    const [json, plan, ...run] = parts as [string, string, ...string[]];
    const release = this.withPlan(releaseId, json, this.plans.get(releaseId) ?? (plan || null));
    return { release, run: actionRunStart(key, run) };
  }

  /** The running action's heartbeat (its worker is alive); `stop` gives the run back at once. */
  async beatActionRun(key: string, owner: string, stop = false): Promise<boolean> {
    const reply = await runScript(
      this.redis,
      scripts.beatRun,
      [this.keys.actionRun(key)],
      [owner, stop ? '1' : ''],
    );
    return Number(reply) === 1;
  }

  /** Where an action run stands: 'running' / 'resumed' while some worker has it, 'done', or null. */
  actionRunStatus(key: string): Promise<string | null> {
    return this.runs.status(key);
  }
  /** Marks the run done with its result (JSON-serialisable); a later begin returns it. */
  finishActionRun(key: string, result: unknown): Promise<void> {
    return this.runs.finish(key, result);
  }
  /** How many replicas have every write so far (null without Sentinel); see redis/replicated.ts. */
  waitForReplica(): Promise<number | null> {
    return waitForReplica(this.redis);
  }
  /** True the first time a key is seen within `ttlSeconds` (Slack retries, double clicks). */
  dedupe(key: string, ttlSeconds: number): Promise<boolean> {
    return this.runs.dedupe(key, ttlSeconds);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private withPlan(id: string, json: string, plan: ReleasePlan | string | null): Release {
    return joinPlan(this.plans, id, json, plan);
  }

  private auditArgs(entries: AuditEntryInput[]): string[] {
    const at = this.now();
    return packAuditEntries(entries.map((entry) => prepareAuditEntry(this.keys, entry, at, this.secretSet)));
  }
}
