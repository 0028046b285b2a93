// Steady saves (no outbox batch, no audit entry, not final) asked for in one turn go to Redis in one
// save-steady.lua call, each still its own compare-and-set with its own inline writes; and a gate
// sample's claim brings its release's stored rev (the sampler's check that its copy is current).
import { describe, expect, it, vi } from 'vitest';
import { ReleaseStore } from '../../../src/store/release-store.ts';
import { GateSchedule, sampleMember } from '../../../src/store/gate-schedule.ts';
import { scripts } from '../../../src/store/scripts.ts';
import { CAP_EVERY } from '../../../src/store/steady-saves.ts';
import { StoreError } from '../../../src/errors.ts';
import { uniquePrefix, useRedis } from '../../helpers/redis.ts';
import { makeRelease, next } from './release-fixture.ts';
import type { InlineWrites } from '../../../src/store/inline-writes.ts';
import type { WriteExtras } from '../../../src/store/release-store.ts';
import type { Release } from '../../../src/release/types.ts';

const redis = useRedis();

function setup() {
  const prefix = uniquePrefix();
  const client = redis.connect();
  const store = new ReleaseStore(client, prefix);
  const calls = { steady: 0, full: 0 };
  const evalsha = client.evalsha.bind(client) as (...args: unknown[]) => Promise<unknown>;
  vi.spyOn(client, 'evalsha').mockImplementation(((...args: unknown[]) => {
    if (args[0] === scripts.saveSteady.sha) calls.steady += 1;
    if (args[0] === scripts.saveRelease.sha) calls.full += 1;
    return evalsha(...args);
  }) as typeof client.evalsha);
  return { prefix, client, store, calls, schedule: new GateSchedule(client, store.keys) };
}

const noExtras = { effects: [], audit: [] };

function reading(id: string, seq: number, atMs: number): InlineWrites {
  return {
    arms: [{ member: sampleMember({ releaseId: id, gate: 'err', epoch: 0, seq }), dueMs: atMs + 1000 }],
    samples: [{ row: JSON.stringify({ gate: 'err', value: seq, at: atMs }), atMs }],
    cardDueMs: atMs + 5000,
  };
}

describe('steady saves', () => {
  it('saves of one turn share one script call; each writes its state, next sample, chart point and card refresh', async () => {
    const { store, client, calls } = setup();
    const releases = Array.from({ length: 30 }, () => makeRelease({ state: 'running' }));
    for (const r of releases) await store.create(r, { lock: false, ...noExtras });
    const at = Date.now();
    const saved = await Promise.all(
      releases.map((r, i) =>
        store.save(next(r, { traffic: i }), 1, { ...noExtras, inline: reading(r.id, 2, at) }),
      ),
    );
    expect(saved).toEqual(releases.map(() => true));
    expect(calls).toEqual({ steady: 1, full: 0 });
    for (const [i, r] of releases.entries()) {
      expect(await store.get(r.id)).toMatchObject({ rev: 2, traffic: i });
      expect(await client.zrange(store.keys.gateSamples(r.id), 0, -1)).toHaveLength(1);
      expect(await client.ttl(store.keys.gateSamples(r.id))).toBeGreaterThan(0);
      expect(Number(await client.zscore(store.keys.cardRefreshes(), r.id))).toBe(at + 5000);
      const member = sampleMember({ releaseId: r.id, gate: 'err', epoch: 0, seq: 2 });
      expect(Number(await client.zscore(store.keys.gateSchedule(), member))).toBe(at + 1000);
    }
  });

  // The claim answered and the next sample change places in one step: the schedule never holds both
  // (before, the sampler removed the claim a tick after the save had armed the next).
  it.each([
    ['a steady save', [] as { type: 'updateCard' }[]],
    ['a full save', [{ type: 'updateCard' as const }]],
  ])('%s removes the claim it answers as it arms the next sample', async (_name, effects) => {
    const { store, client, schedule } = setup();
    const r = makeRelease({ state: 'running' });
    await store.create(r, { lock: false, ...noExtras });
    const claimed = sampleMember({ releaseId: r.id, gate: 'err', epoch: 0, seq: 1 });
    const other = sampleMember({ releaseId: r.id, gate: 'p99', epoch: 0, seq: 1 });
    const at = Date.now();
    await schedule.arm({ releaseId: r.id, gate: 'err', epoch: 0, seq: 1 }, at - 10);
    await schedule.arm({ releaseId: r.id, gate: 'p99', epoch: 0, seq: 1 }, at + 60_000);
    expect((await schedule.claim(at, 10, 30_000)).map((c) => c.member)).toEqual([claimed]);
    const inline = { ...reading(r.id, 2, at), answered: claimed };
    expect(await store.save(next(r, { traffic: 10 }), 1, { effects, audit: [], inline })).toBe(true);
    const left = await client.zrange(store.keys.gateSchedule(), 0, -1);
    expect(left.sort()).toEqual(
      [sampleMember({ releaseId: r.id, gate: 'err', epoch: 0, seq: 2 }), other].sort(),
    );
  });

  it('a stale save leaves the claim it answers to its sampler', async () => {
    const { store, client, schedule } = setup();
    const r = makeRelease({ state: 'running' });
    await store.create(r, { lock: false, ...noExtras });
    const claimed = sampleMember({ releaseId: r.id, gate: 'err', epoch: 0, seq: 1 });
    await schedule.arm({ releaseId: r.id, gate: 'err', epoch: 0, seq: 1 }, Date.now());
    await store.save(next(r, { traffic: 50 }), 1, { effects: [{ type: 'updateCard' }], audit: [] });
    const inline = { ...reading(r.id, 2, Date.now()), answered: claimed };
    expect(await store.save(next(r, { traffic: 10 }), 1, { ...noExtras, inline })).toBe(false);
    expect(await client.zrange(store.keys.gateSchedule(), 0, -1)).toEqual([claimed]);
  });

  it('a stale rev in the batch writes nothing for that release and does not stop the others', async () => {
    const { store, client, calls } = setup();
    const [a, b] = [makeRelease({ state: 'running' }), makeRelease({ state: 'running' })];
    for (const r of [a, b]) await store.create(r, { lock: false, ...noExtras });
    await store.save(next(a, { traffic: 50 }), 1, { effects: [{ type: 'updateCard' }], audit: [] });
    calls.full = 0;
    const at = Date.now();
    const [staleA, freshB] = await Promise.all([
      store.save(next(a, { traffic: 10 }), 1, { ...noExtras, inline: reading(a.id, 2, at) }),
      store.save(next(b, { traffic: 10 }), 1, { ...noExtras, inline: reading(b.id, 2, at) }),
    ]);
    expect([staleA, freshB]).toEqual([false, true]);
    expect(calls.steady).toBe(1);
    expect(await store.get(a.id)).toMatchObject({ rev: 2, traffic: 50 });
    expect(await client.zcard(store.keys.gateSamples(a.id))).toBe(0);
    expect(await client.zscore(store.keys.cardRefreshes(), a.id)).toBeNull();
    expect(await store.get(b.id)).toMatchObject({ rev: 2, traffic: 10 });
  });

  it('a release that is gone fails its own save only', async () => {
    const { store } = setup();
    const kept = makeRelease({ state: 'running' });
    await store.create(kept, { lock: false, ...noExtras });
    const gone = makeRelease({ state: 'running' });
    const at = Date.now();
    const [lost, ok] = await Promise.allSettled([
      store.save(next(gone), 1, { ...noExtras, inline: reading(gone.id, 1, at) }),
      store.save(next(kept), 1, { ...noExtras, inline: reading(kept.id, 1, at) }),
    ]);
    expect(lost.status === 'rejected' && lost.reason instanceof StoreError && lost.reason.code).toBe(
      'missing_release',
    );
    expect(ok).toEqual({ status: 'fulfilled', value: true });
  });

  const full: [string, WriteExtras, Release['state']][] = [
    ['an outbox batch', { effects: [{ type: 'updateCard' }], audit: [] }, 'running'],
    ['an audit entry', { effects: [], audit: [{ actor: 'U1', action: 'pause' }] }, 'running'],
    ['a final state', noExtras, 'completed'],
  ];
  it.each(full)('a save with %s takes the full script', async (_what, extras, state) => {
    const { store, calls } = setup();
    const r = makeRelease({ state: 'running' });
    await store.create(r, { lock: false, ...noExtras });
    expect(await store.save(next(r, { state, endedAt: new Date().toISOString() }), 1, extras)).toBe(true);
    expect(calls).toEqual({ steady: 0, full: 1 });
  });
});

/** How many times Redis ran each command since the last reset (scripts' inner calls included). */
async function commandCalls(client: ReturnType<typeof setup>['client']): Promise<Record<string, number>> {
  const info = await client.info('commandstats');
  return Object.fromEntries(
    [...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]),
  );
}

describe('what steady saves leave out', () => {
  /** Saves `release` steadily `count` times in a row (rev 1 → 1 + count), each with `inline(i)`. */
  async function saveInTurn(
    store: ReleaseStore,
    release: Release,
    count: number,
    inline: (i: number) => InlineWrites,
  ): Promise<Release> {
    let current = release;
    for (let i = 0; i < count; i++) {
      const saved = next(current, { traffic: i });
      expect(await store.save(saved, current.rev, { ...noExtras, inline: inline(i) })).toBe(true);
      current = saved;
    }
    return current;
  }

  it('a card window armed by an earlier save is not sent again; the next window is', async () => {
    const { store, client } = setup();
    const r = makeRelease({ state: 'running' });
    await store.create(r, { lock: false, ...noExtras });
    const at = Date.now();
    const windowEnd = at + 5000;
    const withCard = (i: number, cardDueMs: number): InlineWrites => ({
      ...reading(r.id, i + 1, at + i * 1000),
      cardDueMs,
    });
    await client.config('RESETSTAT');
    const saved = await saveInTurn(store, r, 3, (i) => withCard(i, windowEnd + i));
    // Per save: the next sample and the chart point; the card only with the first.
    expect((await commandCalls(client)).zadd).toBe(3 * 2 + 1);
    expect(Number(await client.zscore(store.keys.cardRefreshes(), r.id))).toBe(windowEnd);
    // The refresher takes the window's member at its end; a reading in the next window arms anew.
    await client.zrem(store.keys.cardRefreshes(), r.id);
    await saveInTurn(store, saved, 1, () => withCard(3, windowEnd + 5000));
    expect(Number(await client.zscore(store.keys.cardRefreshes(), r.id))).toBe(windowEnd + 5000);
  });

  it(`the chart set is trimmed and its TTL renewed on the first steady save and then every ${CAP_EVERY}`, async () => {
    const { store, client } = setup();
    const r = makeRelease({ state: 'running' });
    await store.create(r, { lock: false, ...noExtras });
    const at = Date.now();
    await client.config('RESETSTAT');
    const saved = await saveInTurn(store, r, 2 * CAP_EVERY + 1, (i) => reading(r.id, i + 1, at + i));
    const calls = await commandCalls(client);
    expect([calls.zremrangebyrank, calls.expire]).toEqual([3, 3]);
    expect(await client.ttl(store.keys.gateSamples(r.id))).toBeGreaterThan(0);
    expect(await client.zcard(store.keys.gateSamples(r.id))).toBe(2 * CAP_EVERY + 1);
    // A full save in between (a transition): the next steady save trims again at once.
    await store.save(next(saved), saved.rev, { effects: [{ type: 'updateCard' }], audit: [] });
    await client.config('RESETSTAT');
    await saveInTurn(store, next(saved), 1, () => reading(r.id, 99, at + 99));
    expect((await commandCalls(client)).zremrangebyrank).toBe(1);
  });
});

describe('claiming gate samples with their release rev', () => {
  it('each claim carries its release stored rev, or null when the release is gone', async () => {
    const { store, schedule } = setup();
    const r = makeRelease({ state: 'running' });
    await store.create(r, { lock: false, ...noExtras });
    await store.save(next(r), 1, noExtras);
    const now = Date.now();
    await schedule.arm({ releaseId: r.id, gate: 'err', epoch: 0, seq: 1 }, now - 5);
    await schedule.arm({ releaseId: 'gone-1', gate: 'err', epoch: 0, seq: 1 }, now - 5);
    const claimed = await schedule.claim(now, 10, 30_000);
    expect(claimed.map((c) => [c.releaseId, c.rev]).sort()).toEqual([
      ['gone-1', null],
      [r.id, 2],
    ]);
  });
});
