import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../../src/log.ts';
import type { Effect } from '../../../src/release/types.ts';
import { AuditLog } from '../../../src/store/audit-log.ts';
import { ReleaseStore } from '../../../src/store/release-store.ts';
import { uniquePrefix, useRedis } from '../../helpers/redis.ts';
import type { Redis } from 'ioredis';
import { makeRelease, next } from './release-fixture.ts';

const redis = useRedis();

function setup(options: { now?: () => Date; secretSet?: SecretSet } = {}) {
  const prefix = uniquePrefix();
  const client = redis.connect();
  return {
    prefix,
    client,
    store: new ReleaseStore(client, prefix, options),
    audit: new AuditLog(client, prefix),
  };
}

const noExtras = { effects: [], audit: [] };

/** The release's pending outbox batches, read the way the dispatcher does (claim, then let go). */
async function peekOutbox(store: ReleaseStore, releaseId: string) {
  const batches = await store.claimOutbox(releaseId, 'peek', 10_000);
  await store.finishOutbox(releaseId, 0, 'peek');
  return batches ?? [];
}
const updateCard: Effect = { type: 'updateCard' };

describe('creating a release', () => {
  it('stores it, takes the lock and lists it as active', async () => {
    const { store } = setup();
    const release = makeRelease();
    expect(await store.create(release, { lock: true, ...noExtras })).toEqual({ ok: true });
    expect(await store.get(release.id)).toEqual(release);
    expect(await store.activeId('checkout', 'production')).toBe(release.id);
    expect((await store.listActive()).map((r) => r.id)).toEqual([release.id]);
  });

  it('stores the plan once, apart from the state each save rewrites', async () => {
    const { store, client, prefix } = setup();
    const release = makeRelease();
    await store.create(release, { lock: true, ...noExtras });
    await store.save(next(release, { state: 'running' }), 1, noExtras);
    const key = store.keys.release(release.id);
    expect(await client.hget(key, 'json')).not.toContain('"plan"');
    expect(JSON.parse((await client.hget(key, 'plan'))!)).toEqual(release.plan);
    // Another process (no cached plan) reads the same release; so do the list reads.
    const other = new ReleaseStore(redis.connect(), prefix);
    expect(await other.get(release.id)).toEqual({ ...release, state: 'running', rev: 2 });
    expect((await other.listActive())[0]?.plan).toEqual(release.plan);
  });

  it('reads a release saved before plans were stored apart (its plan inside its JSON)', async () => {
    const { store, client } = setup();
    const release = makeRelease();
    await client.hset(store.keys.release(release.id), 'rev', '1', 'json', JSON.stringify(release));
    expect(await store.get(release.id)).toEqual(release);
  });

  it('returns null for a release that does not exist', async () => {
    const { store } = setup();
    expect(await store.get('nope')).toBeNull();
  });

  it('refuses a second start for the same service and environment, naming the active release', async () => {
    const { store } = setup();
    const first = makeRelease();
    const second = makeRelease();
    await store.create(first, { lock: true, ...noExtras });
    expect(
      await store.create(second, {
        lock: true,
        effects: [updateCard],
        audit: [{ actor: 'U1', action: 'start' }],
      }),
    ).toEqual({
      ok: false,
      activeId: first.id,
    });
    expect(await store.get(second.id)).toBeNull();
    expect(await store.pendingOutbox()).toEqual([]);
  });

  it('lets another environment or an unlocked release through', async () => {
    const { store } = setup();
    await store.create(makeRelease(), { lock: true, ...noExtras });
    expect(await store.create(makeRelease({ environment: 'staging' }), { lock: true, ...noExtras })).toEqual({
      ok: true,
    });
    expect(await store.create(makeRelease({ kind: 'rollback' }), { lock: false, ...noExtras })).toEqual({
      ok: true,
    });
    expect(await store.listActive()).toHaveLength(3);
  });

  it('lets exactly one of 20 simultaneous starts win', async () => {
    const prefix = uniquePrefix();
    const stores = Array.from({ length: 20 }, () => new ReleaseStore(redis.connect(), prefix));
    const releases = stores.map(() => makeRelease());
    const results = await Promise.all(
      stores.map((store, i) => store.create(releases[i]!, { lock: true, effects: [updateCard], audit: [] })),
    );
    const winners = results.flatMap((r, i) => (r.ok ? [releases[i]!.id] : []));
    expect(winners).toHaveLength(1);
    for (const r of results) if (!r.ok) expect(r.activeId).toBe(winners[0]);
    expect(await stores[0]!.listActive()).toHaveLength(1);
    expect(await stores[0]!.pendingOutbox()).toEqual(winners);
  });

  it('throws when the release id exists already', async () => {
    const { store } = setup();
    const release = makeRelease();
    await store.create(release, { lock: false, ...noExtras });
    await expect(store.create(release, { lock: false, ...noExtras })).rejects.toThrow(/exists already/);
  });

  it('writes its first effects and audit entries with it', async () => {
    const { store, audit } = setup();
    const release = makeRelease();
    await store.create(release, {
      lock: true,
      effects: [updateCard],
      audit: [{ actor: 'U123', action: 'release.started', releaseId: release.id, service: 'checkout' }],
    });
    const [batch] = await peekOutbox(store, release.id);
    expect(batch).toMatchObject({ batchId: `${release.id}-r1`, effects: [updateCard] });
    const entries = await audit.forRelease(release.id);
    expect(entries.map((e) => e.action)).toEqual(['release.started']);
  });
});

describe('saving a release', () => {
  it('saves when the revision matches and bumps it', async () => {
    const { store } = setup();
    const release = makeRelease();
    await store.create(release, { lock: true, ...noExtras });
    const approved = next(release, { state: 'running' });
    expect(await store.save(approved, 1, noExtras)).toBe(true);
    expect(await store.get(release.id)).toMatchObject({ rev: 2, state: 'running' });
  });

  it('writes nothing when another writer saved first', async () => {
    const { store, audit } = setup();
    const release = makeRelease();
    await store.create(release, { lock: true, ...noExtras });
    await store.save(next(release, { state: 'running' }), 1, noExtras);
    const stale = next(release, { state: 'aborted' });
    const saved = await store.save(stale, 1, {
      effects: [updateCard],
      audit: [{ actor: 'U1', action: 'abort', releaseId: release.id }],
    });
    expect(saved).toBe(false);
    expect(await store.get(release.id)).toMatchObject({ rev: 2, state: 'running' });
    expect(await peekOutbox(store, release.id)).toEqual([]);
    expect(await audit.forRelease(release.id)).toEqual([]);
  });

  it('lets exactly one of two writers racing from the same revision win', async () => {
    const prefix = uniquePrefix();
    const a = new ReleaseStore(redis.connect(), prefix);
    const b = new ReleaseStore(redis.connect(), prefix);
    const release = makeRelease();
    await a.create(release, { lock: true, ...noExtras });
    for (let round = 0; round < 10; round++) {
      const current = (await a.get(release.id))!;
      const results = await Promise.all([
        a.save(next(current, { traffic: 10 }), current.rev, { effects: [updateCard], audit: [] }),
        b.save(next(current, { traffic: 50 }), current.rev, { effects: [updateCard], audit: [] }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    }
    expect(await a.get(release.id)).toMatchObject({ rev: 11 });
    expect(await peekOutbox(a, release.id)).toHaveLength(10);
  });

  it('insists that the caller bumped the revision', async () => {
    const { store } = setup();
    const release = makeRelease();
    await store.create(release, { lock: true, ...noExtras });
    await expect(store.save(release, 1, noExtras)).rejects.toThrow(/expectedRev \+ 1/);
  });

  it('throws for a release that does not exist', async () => {
    const { store } = setup();
    await expect(store.save(next(makeRelease()), 1, noExtras)).rejects.toThrow(/no such release/);
  });

  it('appends each save’s effects as one batch named after the new revision', async () => {
    const { store } = setup();
    const release = makeRelease();
    await store.create(release, { lock: true, effects: [updateCard], audit: [] });
    const running = next(release, { state: 'running' });
    const postInThread: Effect = { type: 'postInThread', note: { kind: 'preflightComplete' } };
    await store.save(running, 1, { effects: [postInThread, updateCard], audit: [] });
    await store.save(next(running), 2, noExtras); // no effects: no empty batch
    const batches = await peekOutbox(store, release.id);
    expect(batches.map((b) => b.batchId)).toEqual([`${release.id}-r1`, `${release.id}-r2`]);
    expect(batches[1]!.effects).toEqual([postInThread, updateCard]);
  });

  it('moves a finished release to the history and frees its lock', async () => {
    const { store } = setup();
    const release = makeRelease();
    await store.create(release, { lock: true, ...noExtras });
    const done = next(release, { state: 'completed', endedAt: '2025-03-04T11:00:00.000Z' });
    expect(await store.save(done, 1, noExtras)).toBe(true);
    expect(await store.listActive()).toEqual([]);
    expect(await store.activeId('checkout', 'production')).toBeNull();
    expect((await store.history()).map((r) => r.id)).toEqual([release.id]);
    expect((await store.history('checkout')).map((r) => r.id)).toEqual([release.id]);
    expect(await store.history('search')).toEqual([]);
  });

  it('leaves a lock alone that another release holds when an unlocked one finishes', async () => {
    const { store } = setup();
    const locked = makeRelease();
    const rollback = makeRelease({ kind: 'rollback' });
    await store.create(locked, { lock: true, ...noExtras });
    await store.create(rollback, { lock: false, ...noExtras });
    await store.save(
      next(rollback, { state: 'completed', endedAt: '2025-03-04T11:00:00.000Z' }),
      1,
      noExtras,
    );
    expect(await store.activeId('checkout', 'production')).toBe(locked.id);
  });
});

describe('after Redis forgets its scripts (a restart flushes them)', () => {
  it('loads them again by itself', async () => {
    const { store, client } = setup();
    const release = makeRelease();
    await store.create(release, { lock: true, ...noExtras });
    await client.script('FLUSH');
    expect(await store.save(next(release), 1, noExtras)).toBe(true);
    expect(await store.releaseLock('checkout', 'production', release.id)).toBe(true);
  });
});

describe('the lock', () => {
  it('is freed only by the release that holds it', async () => {
    const { store } = setup();
    const release = makeRelease();
    await store.create(release, { lock: true, ...noExtras });
    expect(await store.releaseLock('checkout', 'production', 'someone-else')).toBe(false);
    expect(await store.activeId('checkout', 'production')).toBe(release.id);
    expect(await store.releaseLock('checkout', 'production', release.id)).toBe(true);
    expect(await store.activeId('checkout', 'production')).toBeNull();
    expect(await store.releaseLock('checkout', 'production', release.id)).toBe(false);
  });

  it('can be taken again once freed', async () => {
    const { store } = setup();
    const first = makeRelease();
    await store.create(first, { lock: true, ...noExtras });
    await store.releaseLock('checkout', 'production', first.id);
    expect(await store.create(makeRelease(), { lock: true, ...noExtras })).toEqual({ ok: true });
  });
});

describe('history', () => {
  async function finish(store: ReleaseStore, overrides: Parameters<typeof makeRelease>[0], endedAt: string) {
    const release = makeRelease(overrides);
    await store.create(release, { lock: false, ...noExtras });
    await store.save(next(release, { state: overrides?.state ?? 'completed', endedAt }), 1, noExtras);
    return release.id;
  }

  it('lists finished releases newest first, up to a limit', async () => {
    const { store } = setup();
    const a = await finish(store, {}, '2025-03-01T00:00:00Z');
    const c = await finish(store, { service: 'search' }, '2025-03-03T00:00:00Z');
    const b = await finish(store, {}, '2025-03-02T00:00:00Z');
    expect((await store.history()).map((r) => r.id)).toEqual([c, b, a]);
    expect((await store.history(undefined, 2)).map((r) => r.id)).toEqual([c, b]);
    expect(await store.history(undefined, 0)).toEqual([]);
    expect((await store.history('checkout')).map((r) => r.id)).toEqual([b, a]);
  });

  const completed = (r: { state: string }) => r.state === 'completed';

  it('finds the last completed release of a service in an environment', async () => {
    const { store } = setup();
    const good = await finish(store, { version: 'v1' }, '2025-03-01T00:00:00Z');
    await finish(store, { environment: 'staging' }, '2025-03-02T00:00:00Z');
    await finish(store, { state: 'rolled_back' }, '2025-03-03T00:00:00Z');
    expect((await store.findInHistory('checkout', 'production', completed))?.id).toBe(good);
    expect(await store.findInHistory('search', 'production', completed)).toBeNull();
  });

  it('finds it beyond the first page of history', async () => {
    const { store } = setup();
    const good = await finish(store, {}, '2025-01-01T00:00:00Z');
    for (let i = 0; i < 60; i++) {
      await finish(store, { state: 'aborted' }, new Date(Date.UTC(2025, 1, 1, 0, i)).toISOString());
    }
    expect((await store.findInHistory('checkout', 'production', completed))?.id).toBe(good);
  });
});

describe('deployed versions', () => {
  it('remembers the version per service and environment', async () => {
    const { store } = setup();
    expect(await store.deployedVersion('checkout', 'production')).toBeNull();
    await store.setDeployedVersion('checkout', 'production', 'v1.2.3');
    await store.setDeployedVersion('checkout', 'staging', 'v1.3.0');
    expect(await store.deployedVersion('checkout', 'production')).toBe('v1.2.3');
    expect(await store.deployedVersion('checkout', 'staging')).toBe('v1.3.0');
  });
});

describe('freezes', () => {
  const now = () => new Date('2025-03-04T10:00:00Z');

  it('freezes a service until it is unfrozen', async () => {
    const { store } = setup({ now });
    await store.freeze('checkout', 'U1', 'Black Friday');
    expect(await store.frozen('checkout')).toEqual({
      scope: 'checkout',
      by: 'U1',
      reason: 'Black Friday',
      at: '2025-03-04T10:00:00.000Z',
    });
    expect(await store.frozen('search')).toBeNull();
    expect(await store.unfreeze('checkout')).toBe(true);
    expect(await store.unfreeze('checkout')).toBe(false);
    expect(await store.frozen('checkout')).toBeNull();
  });

  it("blocks every service with 'all', preferring a service's own freeze", async () => {
    const { store } = setup({ now });
    await store.freeze('all', 'U2', 'incident');
    expect(await store.frozen('search')).toMatchObject({ scope: 'all', by: 'U2' });
    await store.freeze('checkout', 'U1', 'migration');
    expect(await store.frozen('checkout')).toMatchObject({ scope: 'checkout', reason: 'migration' });
    expect(await store.listFreezes()).toEqual({
      all: { by: 'U2', reason: 'incident', at: '2025-03-04T10:00:00.000Z' },
      checkout: { by: 'U1', reason: 'migration', at: '2025-03-04T10:00:00.000Z' },
    });
  });
});

describe('the outbox', () => {
  it('keeps batches until a dispatcher holding the lock finishes them, then forgets the release', async () => {
    const { store } = setup();
    const release = makeRelease();
    await store.create(release, { lock: true, effects: [updateCard], audit: [] });
    await store.save(next(release), 1, { effects: [{ type: 'postHandoff' }], audit: [] });
    expect(await store.pendingOutbox()).toEqual([release.id]);

    const batches = await store.claimOutbox(release.id, 't1', 10_000);
    expect(batches).toHaveLength(2);
    expect(await store.claimOutbox(release.id, 't2', 10_000)).toBeNull(); // one dispatcher at a time
    expect(await store.finishOutbox(release.id, 1, 't1')).toBe(1);
    expect(await store.pendingOutbox()).toEqual([release.id]);
    expect(await store.finishOutbox(release.id, 1, 't1')).toBe(1); // twice is harmless: the lock is gone
    expect((await store.claimOutbox(release.id, 't3', 10_000))?.map((b) => b.effects)).toEqual([
      [{ type: 'postHandoff' }],
    ]);
    expect(await store.finishOutbox(release.id, 1, 't3')).toBe(0);
    expect(await store.pendingOutbox()).toEqual([]);
    expect(await peekOutbox(store, release.id)).toEqual([]);
  });

  it('keeps a release pending when a batch arrives between claim and finish', async () => {
    const { store } = setup();
    const release = makeRelease();
    await store.create(release, { lock: true, effects: [updateCard], audit: [] });
    expect(await store.claimOutbox(release.id, 't1', 10_000)).toHaveLength(1);
    await store.save(next(release), 1, { effects: [{ type: 'postHandoff' }], audit: [] });
    expect(await store.finishOutbox(release.id, 1, 't1')).toBe(1);
    expect(await store.pendingOutbox()).toEqual([release.id]);
    expect((await peekOutbox(store, release.id)).map((b) => b.effects)).toEqual([[{ type: 'postHandoff' }]]);
  });
});

describe('action runs', () => {
  /** beginStep on a release that exists, keeping only the run's part. */
  async function beginner(store: ReleaseStore) {
    const release = makeRelease();
    await store.create(release, { lock: false, ...noExtras });
    return async (key: string, owner: string) => (await store.beginStep(release.id, key, owner))!.run;
  }
  /** The worker that has run `key` died: its heartbeat stopped long ago. */
  const dies = (client: Redis, store: ReleaseStore, key: string) =>
    client.hset(store.keys.actionRun(key), 'beatMs', '0');

  it('begins a step with its release in one call, and begins nothing for a release that does not exist', async () => {
    const { store, client, prefix } = setup();
    expect(await store.beginStep('nope', 'nope-stage-0-1', 'worker-a')).toBeNull();
    expect(await client.exists(store.keys.actionRun('nope-stage-0-1'))).toBe(0);
    const release = makeRelease();
    await store.create(release, { lock: true, ...noExtras });
    const fresh = new ReleaseStore(redis.connect(), prefix); // no cached plan: the script returns it
    expect(await fresh.beginStep(release.id, 'k1', 'worker-a')).toEqual({
      release,
      run: { status: 'started', attempt: 1 },
    });
    await dies(client, store, 'k1');
    expect(await fresh.beginStep(release.id, 'k1', 'worker-b')).toEqual({
      release,
      run: { status: 'resumed', attempt: 2, previousOwner: 'worker-a' },
    });
    await fresh.finishActionRun('k1', { ok: true });
    expect((await store.beginStep(release.id, 'k1', 'worker-c'))?.run).toEqual({
      status: 'done',
      attempt: 2,
      result: { ok: true },
    });
  });

  it('starts a run the first time', async () => {
    const { store } = setup();
    const begin = await beginner(store);
    expect(await begin('rel-1-stage-0-1', 'worker-a')).toEqual({
      status: 'started',
      attempt: 1,
    });
  });

  it('resumes a run whose worker died, counting the attempt', async () => {
    const { store, client } = setup();
    const begin = await beginner(store);
    await begin('k', 'worker-a');
    await dies(client, store, 'k');
    expect(await begin('k', 'worker-b')).toEqual({
      status: 'resumed',
      attempt: 2,
      previousOwner: 'worker-a',
    });
    await dies(client, store, 'k');
    expect(await begin('k', 'worker-c')).toEqual({
      status: 'resumed',
      attempt: 3,
      previousOwner: 'worker-b',
    });
  });

  it('never runs a finished action again, and hands back its result', async () => {
    const { store } = setup();
    const begin = await beginner(store);
    await begin('k', 'worker-a');
    await store.finishActionRun('k', { ok: true, summary: 'exit 0 in 4.2s' });
    expect(await begin('k', 'worker-b')).toEqual({
      status: 'done',
      attempt: 1,
      result: { ok: true, summary: 'exit 0 in 4.2s' },
    });
  });

  it('keeps the attempt count of a resumed run that then finished', async () => {
    const { store, client } = setup();
    const begin = await beginner(store);
    await begin('k', 'worker-a');
    await dies(client, store, 'k');
    await begin('k', 'worker-b');
    await store.finishActionRun('k', undefined);
    expect(await begin('k', 'worker-c')).toEqual({ status: 'done', attempt: 2 });
  });

  it('never starts a run beside a live worker (a job lock lapsed in a failover): busy, until it is given back', async () => {
    const { store } = setup();
    const begin = await beginner(store);
    await begin('k', 'worker-a');
    expect(await begin('k', 'worker-b')).toEqual({ status: 'busy', attempt: 1, previousOwner: 'worker-a' });
    expect(await store.beatActionRun('k', 'worker-b')).toBe(false); // only its owner beats it
    expect(await store.beatActionRun('k', 'worker-a')).toBe(true);
    expect(await begin('k', 'worker-b')).toMatchObject({ status: 'busy' });
    expect(await store.beatActionRun('k', 'worker-a', true)).toBe(true); // given back (a retry, a shutdown)
    expect(await begin('k', 'worker-b')).toEqual({
      status: 'resumed',
      attempt: 2,
      previousOwner: 'worker-a',
    });
    await store.finishActionRun('k', { ok: true });
    expect(await store.beatActionRun('k', 'worker-b')).toBe(false); // a finished run is not beaten
  });

  it('keeps records for 30 days', async () => {
    const { store, client } = setup();
    const begin = await beginner(store);
    await begin('k', 'worker-a');
    expect(await client.ttl(store.keys.actionRun('k'))).toBeGreaterThan(29 * 24 * 3600);
    await store.finishActionRun('k', 1);
    expect(await client.ttl(store.keys.actionRun('k'))).toBeGreaterThan(29 * 24 * 3600);
  });
});

describe('dedupe', () => {
  it('says yes the first time a key is seen and no after, until it expires', async () => {
    const { store, client } = setup();
    expect(await store.dedupe('slack-retry-1', 60)).toBe(true);
    expect(await store.dedupe('slack-retry-1', 60)).toBe(false);
    expect(await store.dedupe('slack-retry-2', 60)).toBe(true);
    expect(await client.ttl(store.keys.dedupe('slack-retry-1'))).toBeGreaterThan(55);
  });
});

describe('audit entries written with a decision', () => {
  it('are scrubbed of secrets and indexed like AuditLog.append', async () => {
    const secretSet = new SecretSet();
    secretSet.add('hunter2-token');
    const { store, audit } = setup({ secretSet, now: () => new Date('2025-03-04T10:00:00Z') });
    const release = makeRelease();
    await store.create(release, {
      lock: true,
      effects: [],
      audit: [
        {
          actor: 'runway',
          action: 'action.finished',
          releaseId: release.id,
          incidentId: 'INC-7',
          details: { output: 'curl -H "Authorization: hunter2-token"' },
        },
      ],
    });
    const [entry] = await audit.forRelease(release.id);
    expect(entry).toMatchObject({
      at: '2025-03-04T10:00:00.000Z',
      details: { output: 'curl -H "Authorization: [redacted]"' },
    });
    expect(await audit.forIncident('INC-7')).toEqual([entry]);
  });
});

describe('the deployed version', () => {
  it('is written by the same save that completes the release and frees its lock', async () => {
    const { store } = setup();
    const release = makeRelease({ version: 'v9.9.9' });
    await store.create(release, { lock: true, ...noExtras });
    const completed = next(release, { state: 'completed', endedAt: new Date().toISOString() });
    const effects: Effect[] = [{ type: 'recordDeployed', version: 'v9.9.9' }, { type: 'releaseLock' }];
    expect(await store.save(completed, release.rev, { effects, audit: [] })).toBe(true);
    // Nothing dispatched yet, and already: lock free, version recorded.
    expect(await store.activeId(release.service, release.environment)).toBeNull();
    expect(await store.deployedVersion(release.service, release.environment)).toBe('v9.9.9');
  });

  it('is not written by a save that loses the race', async () => {
    const { store } = setup();
    const release = makeRelease({ version: 'v9.9.8' });
    await store.create(release, { lock: true, ...noExtras });
    // Another writer saves first (say, a rollback request); the completing save read the old rev.
    expect(await store.save(next(release, { state: 'rolling_back' }), release.rev, noExtras)).toBe(true);
    const effects: Effect[] = [{ type: 'recordDeployed', version: 'v9.9.8' }];
    expect(await store.save(next(release, { state: 'completed' }), release.rev, { effects, audit: [] })).toBe(
      false,
    );
    expect(await store.deployedVersion(release.service, release.environment)).toBeNull();
  });
});
