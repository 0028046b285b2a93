// Releases in Redis: the state, the lock, the history, the outbox of effects and the audit entries of
// one decision are written by one Lua script each, so a crash or a racing writer never leaves half of
// a decision behind.
import type { Redis } from 'ioredis';
import type { SecretSet } from '../log.ts';
import { FINAL_STATES, type Effect, type Release, type ReleasePlan } from '../release/types.ts';
import { packAuditEntries, prepareAuditEntry, type AuditEntryInput } from './audit-entry.ts';
import { DEFAULT_PREFIX, storeKeys, type StoreKeys } from './keys.ts';
import { runScript, scripts } from './scripts.ts';
import { deepFreeze } from '../deep-freeze.ts';

export interface OutboxBatch {
  /** The exact stored text, to hand back to ackOutbox. */
  raw: string;
  /** `<releaseId>-r<rev>`: deterministic, so a re-dispatched batch can reuse its job ids. */
  batchId: string;
  effects: Effect[];
}

export interface FreezeInfo {
  by: string;
  reason: string;
  at: string;
}

export type ActionRunStart =
  | { status: 'started'; attempt: 1 }
  | { status: 'resumed'; attempt: number; previousOwner?: string }
  | { status: 'done'; attempt: number; result?: unknown };

export interface ReleaseStoreOptions {
  now?: () => Date;
  /** Defaults to the process-wide set in log.ts. */
  secretSet?: SecretSet;
}

export interface WriteExtras {
  effects: Effect[];
  audit: AuditEntryInput[];
}

/** The version a decision says is now deployed (its recordDeployed effect), or '' for none. */
function deployedBy(effects: readonly Effect[]): string {
  const recorded = effects.find((e) => e.type === 'recordDeployed');
  return recorded?.type === 'recordDeployed' ? recorded.version : '';
}

const ACTION_RUN_TTL_SECONDS = 30 * 24 * 3600;
const HISTORY_PAGE = 50;
const PLAN_CACHE_SIZE = 5000;

export class ReleaseStore {
  readonly keys: StoreKeys;
  private readonly now: () => Date;
  private readonly secretSet: SecretSet | undefined;
  /** Parsed plans by release id (a plan never changes): gets parse only the small changing state. */
  private readonly plans = new Map<string, ReleasePlan>();

  constructor(
    private readonly redis: Redis,
    prefix: string = DEFAULT_PREFIX,
    options: ReleaseStoreOptions = {},
  ) {
    this.keys = storeKeys(prefix);
    this.now = options.now ?? (() => new Date());
    this.secretSet = options.secretSet;
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
        this.batch(release, options.effects),
        JSON.stringify(release.plan),
        ...this.auditArgs(options.audit),
      ],
    );
    const [status, holder] = asStrings(reply);
    if (status === 'ok') return { ok: true };
    if (status === 'locked' && holder) return { ok: false, activeId: holder };
    if (status === 'exists') throw new Error(`release ${release.id} exists already`);
    throw new Error(`create release ${release.id}: unexpected reply from Redis`);
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
      throw new Error(
        `save release ${release.id}: rev must be expectedRev + 1 (${expectedRev + 1}), got ${release.rev}`,
      );
    }
    const k = this.keys;
    const final = FINAL_STATES.includes(release.state);
    const endedAtMs = Date.parse(release.endedAt ?? release.updatedAt);
    const reply = await runScript(
      this.redis,
      scripts.saveRelease,
      [
        k.release(release.id),
        k.activeSet(),
        k.history(),
        k.serviceHistory(release.service),
        k.active(release.service, release.environment),
        k.outbox(),
        k.releaseOutbox(release.id),
        k.audit(),
        k.deployed(release.service, release.environment),
      ],
      [
        release.id,
        String(expectedRev),
        String(release.rev),
        stateJson(release),
        final ? '1' : '0',
        String(Number.isFinite(endedAtMs) ? endedAtMs : this.now().getTime()),
        this.batch(release, extras.effects),
        deployedBy(extras.effects),
        ...this.auditArgs(extras.audit),
      ],
    );
    if (reply === 1) return true;
    if (reply === 0) return false;
    if (reply === -1) throw new Error(`save release ${release.id}: no such release`);
    throw new Error(`save release ${release.id}: unexpected reply from Redis`);
  }

  // ---- locks and lists -----------------------------------------------------------------------

  /** Frees the lock only if `releaseId` still holds it; true when it did. */
  async releaseLock(service: string, environment: string, releaseId: string): Promise<boolean> {
    const reply = await runScript(
      this.redis,
      scripts.releaseLock,
      [this.keys.active(service, environment)],
      [releaseId],
    );
    return reply === 1;
  }

  activeId(service: string, environment: string): Promise<string | null> {
    return this.redis.get(this.keys.active(service, environment));
  }

  async listActive(): Promise<Release[]> {
    const ids = await this.redis.smembers(this.keys.activeSet());
    const releases = await this.getMany(ids);
    return releases.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Finished releases, newest first; one service's or all. */
  async history(service?: string, limit = 20): Promise<Release[]> {
    if (limit <= 0) return []; // ZREVRANGE 0 -1 would mean "all"
    const key = service === undefined ? this.keys.history() : this.keys.serviceHistory(service);
    const ids = await this.redis.zrevrange(key, 0, limit - 1);
    return this.getMany(ids);
  }

  /** Walks a service's finished releases in an environment, newest first, to the first `pick` takes. */
  async findInHistory(
    service: string,
    environment: string,
    pick: (release: Release) => boolean,
  ): Promise<Release | null> {
    const key = this.keys.serviceHistory(service);
    for (let start = 0; ; start += HISTORY_PAGE) {
      const ids = await this.redis.zrevrange(key, start, start + HISTORY_PAGE - 1);
      for (const release of await this.getMany(ids)) {
        if (release.environment === environment && pick(release)) return release;
      }
      if (ids.length < HISTORY_PAGE) return null;
    }
  }

  // ---- deployed versions ---------------------------------------------------------------------

  deployedVersion(service: string, environment: string): Promise<string | null> {
    return this.redis.get(this.keys.deployed(service, environment));
  }

  async setDeployedVersion(service: string, environment: string, version: string): Promise<void> {
    await this.redis.set(this.keys.deployed(service, environment), version);
  }

  // ---- freezes -------------------------------------------------------------------------------

  /** Freezes a service, or every service with scope 'all'. Freezing again replaces who and why. */
  async freeze(scope: string, by: string, reason: string): Promise<void> {
    const info: FreezeInfo = { by, reason, at: this.now().toISOString() };
    await this.redis.hset(this.keys.freeze(), scope, JSON.stringify(info));
  }

  /** True when the scope was frozen. */
  async unfreeze(scope: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.freeze(), scope)) === 1;
  }

  /** Lifts every freeze; returns the scopes that were frozen. */
  async unfreezeAll(): Promise<string[]> {
    const [[, scopes]] = (await this.redis
      .multi()
      .hkeys(this.keys.freeze())
      .del(this.keys.freeze())
      .exec()) as [[unknown, string[]], unknown];
    return scopes;
  }

  async listFreezes(): Promise<Record<string, FreezeInfo>> {
    const all = await this.redis.hgetall(this.keys.freeze());
    const out: Record<string, FreezeInfo> = {};
    for (const [scope, json] of Object.entries(all)) out[scope] = JSON.parse(json) as FreezeInfo;
    return out;
  }

  /** The freeze that blocks the service: its own first (its reason is the more specific), else 'all'. */
  async frozen(service: string): Promise<(FreezeInfo & { scope: string }) | null> {
    const [own, all] = await this.redis.hmget(this.keys.freeze(), service, 'all');
    if (own) return { scope: service, ...(JSON.parse(own) as FreezeInfo) };
    if (all) return { scope: 'all', ...(JSON.parse(all) as FreezeInfo) };
    return null;
  }

  // ---- outbox --------------------------------------------------------------------------------

  /** Ids of releases with effects not yet acknowledged. */
  pendingOutbox(): Promise<string[]> {
    return this.redis.smembers(this.keys.outbox());
  }

  /**
   * Takes the release's dispatch lock and reads its pending batches in one round trip; null when
   * another dispatcher holds the lock. End with finishOutbox, whatever happens.
   */
  async claimOutbox(releaseId: string, token: string, ttlMs: number): Promise<OutboxBatch[] | null> {
    const reply = await runScript(
      this.redis,
      scripts.claimOutbox,
      [this.keys.flushLock(releaseId), this.keys.releaseOutbox(releaseId)],
      [token, String(ttlMs)],
    );
    if (reply === null) return null;
    return asStrings(reply).map((raw) => {
      const { batchId, effects } = JSON.parse(raw) as { batchId: string; effects: Effect[] };
      return { raw, batchId, effects };
    });
  }

  /** Drops the `handled` oldest batches and lets go of the lock (if still ours); returns how many are left. */
  async finishOutbox(releaseId: string, handled: number, token: string): Promise<number> {
    const reply = await runScript(
      this.redis,
      scripts.finishDrain,
      [this.keys.outbox(), this.keys.releaseOutbox(releaseId), this.keys.flushLock(releaseId)],
      [releaseId, String(handled), token],
    );
    return Number(reply);
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
      [owner, this.now().toISOString(), String(ACTION_RUN_TTL_SECONDS), wantPlan ? '1' : '0'],
    );
    const parts = asStrings(reply);
    if (parts.length === 0) return null;
    const [json, plan, ...run] = parts as [string, string, ...string[]];
    const release = this.withPlan(releaseId, json, this.plans.get(releaseId) ?? (plan || null));
    return { release, run: actionRunStart(key, run) };
  }

  /** Where an action run stands: 'running' / 'resumed' while some worker has it, 'done', or null. */
  async actionRunStatus(key: string): Promise<string | null> {
    return this.redis.hget(this.keys.actionRun(key), 'status');
  }

  /** Marks the run done with its result (JSON-serialisable); a later begin returns it. */
  async finishActionRun(key: string, result: unknown): Promise<void> {
    // One HSET: beginStep created the hash with its TTL, and HSET keeps it.
    await this.redis.hset(
      this.keys.actionRun(key),
      'status',
      'done',
      'result',
      result === undefined ? '' : JSON.stringify(result),
      'finishedAt',
      this.now().toISOString(),
    );
  }

  /** True the first time a key is seen within `ttlSeconds` (Slack retries, double clicks). */
  async dedupe(key: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(this.keys.dedupe(key), '1', 'EX', ttlSeconds, 'NX')) === 'OK';
  }

  // ---- helpers -------------------------------------------------------------------------------

  /**
   * A stored state joined with its plan: from this process's cache, or parsed from Redis (and then
   * cached, frozen: every copy of the release shares it). A release saved before plans were stored
   * apart still carries its plan in its JSON.
   */
  private withPlan(id: string, json: string, plan: ReleasePlan | string | null): Release {
    const state = JSON.parse(json) as Release;
    if (state.plan) return state;
    let parsed = typeof plan === 'string' ? (JSON.parse(plan) as ReleasePlan) : plan;
    if (!parsed) throw new Error(`release ${id} has no plan stored`);
    if (typeof plan === 'string') {
      parsed = deepFreeze(parsed);
      this.plans.set(id, parsed);
      if (this.plans.size > PLAN_CACHE_SIZE) this.plans.delete(this.plans.keys().next().value!);
    }
    return { ...state, plan: parsed };
  }

  private async getMany(ids: string[]): Promise<Release[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids)
      pipeline.hmget(this.keys.release(id), 'json', ...(this.plans.has(id) ? [] : ['plan']));
    const replies = (await pipeline.exec()) ?? [];
    const releases: Release[] = [];
    for (const [i, [err, fields]] of replies.entries()) {
      if (err) throw err;
      const [json, plan] = fields as (string | null)[];
      const id = ids[i]!;
      if (typeof json === 'string')
        releases.push(this.withPlan(id, json, this.plans.get(id) ?? plan ?? null));
    }
    return releases;
  }

  private batch(release: Release, effects: Effect[]): string {
    return effects.length === 0 ? '' : JSON.stringify({ batchId: `${release.id}-r${release.rev}`, effects });
  }

  private auditArgs(entries: AuditEntryInput[]): string[] {
    const at = this.now();
    return packAuditEntries(entries.map((entry) => prepareAuditEntry(this.keys, entry, at, this.secretSet)));
  }
}

/** begin-run's reply {status, attempt, result JSON, previous owner} as an ActionRunStart. */
function actionRunStart(key: string, reply: string[]): ActionRunStart {
  const [status, attemptText, resultJson, previousOwner] = reply;
  const attempt = Number(attemptText);
  if (status === 'started') return { status, attempt: 1 };
  if (status === 'resumed') return previousOwner ? { status, attempt, previousOwner } : { status, attempt };
  if (status === 'done') {
    return resultJson ? { status, attempt, result: JSON.parse(resultJson) as unknown } : { status, attempt };
  }
  throw new Error(`begin action run ${key}: unexpected reply from Redis`);
}

/** The release as stored: its state without the plan (the plan is stored once, apart). */
function stateJson(release: Release): string {
  const { plan: _plan, ...state } = release;
  return JSON.stringify(state);
}

function asStrings(reply: unknown): string[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((part) => (typeof part === 'string' ? part : String(part)));
}
