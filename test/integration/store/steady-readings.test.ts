// Steady gate readings written without the release (keep-steady.lua): the claimed member is armed
// again and the chart point kept, in one script call per turn, each entry fenced on the claim (its
// lease end is still the member's score) and on the release's rev; the release record is untouched.
import { describe, expect, it, vi } from 'vitest';
import { ReleaseStore } from '../../../src/store/release-store.ts';
import { GateSchedule, type ClaimedSample } from '../../../src/store/gate-schedule.ts';
import { scripts } from '../../../src/store/scripts.ts';
import type { SteadyEntry } from '../../../src/store/steady-readings.ts';
import { uniquePrefix, useRedis } from '../../helpers/redis.ts';
import { makeRelease, next } from './release-fixture.ts';

const redis = useRedis();
const noExtras = { effects: [], audit: [] };
const LEASE_MS = 30_000;

async function setup(count = 1) {
  const client = redis.connect();
  const store = new ReleaseStore(client, uniquePrefix());
  const schedule = new GateSchedule(client, store.keys);
  const calls = { keep: 0 };
  const evalsha = client.evalsha.bind(client) as (...args: unknown[]) => Promise<unknown>;
  vi.spyOn(client, 'evalsha').mockImplementation(((...args: unknown[]) => {
    if (args[0] === scripts.keepSteady.sha) calls.keep += 1;
    return evalsha(...args);
  }) as typeof client.evalsha);
  const releases = Array.from({ length: count }, () => makeRelease({ state: 'running' }));
  const now = Date.now();
  for (const r of releases) {
    await store.create(r, { lock: false, ...noExtras });
    await schedule.arm({ releaseId: r.id, gate: 'err', epoch: 0, seq: 4 }, now - 10);
  }
  const claimed = await schedule.claim(now, 100, LEASE_MS);
  return { client, store, schedule, calls, releases, claimed };
}

function entry(c: ClaimedSample, over: Partial<SteadyEntry> = {}): SteadyEntry {
  const atMs = Date.now();
  const row = JSON.stringify({ gate: c.gate, at: new Date(atMs).toISOString(), value: 0.001, verdict: 'ok' });
  return {
    releaseId: c.releaseId,
    rev: c.rev ?? 0,
    member: c.member,
    leaseEndMs: c.leaseEndMs,
    nextDueMs: c.dueMs + 1000,
    sample: { row, atMs },
    samples: 3,
    cardDueMs: atMs + 5000,
    ...over,
  };
}

describe('steady readings', () => {
  it('re-arm the claimed member, keep the chart point and arm the card, in one call, without the release', async () => {
    const { client, store, schedule, calls, releases, claimed } = await setup(25);
    expect(claimed).toHaveLength(25);
    const json = (id: string) => client.hget(store.keys.release(id), 'json');
    const jsonBefore = new Map(
      await Promise.all(releases.map(async (r) => [r.id, await json(r.id)] as const)),
    );
    const entries = claimed.map((c) => entry(c));
    const statuses = await Promise.all(entries.map((e) => schedule.keepSteady(e)));
    expect(statuses).toEqual(claimed.map(() => 'kept'));
    expect(calls.keep).toBe(1);
    for (const e of entries) {
      expect(Number(await client.zscore(store.keys.gateSchedule(), e.member))).toBe(e.nextDueMs);
      expect(await client.zrange(store.keys.gateSamples(e.releaseId), 0, -1)).toEqual([e.sample.row]);
      expect(Number(await client.zscore(store.keys.cardRefreshes(), e.releaseId))).toBe(e.cardDueMs);
      expect(await json(e.releaseId)).toBe(jsonBefore.get(e.releaseId));
    }
    // The same member, not a new one: the schedule holds one per gate.
    expect(await schedule.size()).toBe(25);
  });

  it('write nothing for a release saved since the rev they were decided on', async () => {
    const { client, store, schedule, releases, claimed } = await setup();
    const c = claimed[0]!;
    await store.save(next(releases[0]!, { traffic: 50 }), 1, noExtras);
    expect(await schedule.keepSteady(entry(c))).toBe('changed');
    expect(Number(await client.zscore(store.keys.gateSchedule(), c.member))).toBe(c.leaseEndMs);
    expect(await client.zcard(store.keys.gateSamples(c.releaseId))).toBe(0);
  });

  it('write nothing for a claim another worker took over after its lease ran out', async () => {
    const { client, store, schedule, claimed } = await setup();
    const c = claimed[0]!;
    // The lease ran out and another worker claimed the member: its score is that worker's lease end.
    const taken = c.leaseEndMs + 5000;
    await client.zadd(store.keys.gateSchedule(), 'XX', taken, c.member);
    expect(await schedule.keepSteady(entry(c))).toBe('not_ours');
    expect(Number(await client.zscore(store.keys.gateSchedule(), c.member))).toBe(taken);
    // Finished meanwhile (its release moved on): not brought back either.
    await client.zrem(store.keys.gateSchedule(), c.member);
    expect(await schedule.keepSteady(entry(c))).toBe('not_ours');
    expect(await schedule.size()).toBe(0);
    expect(await client.zcard(store.keys.gateSamples(c.releaseId))).toBe(0);
  });

  it('are fenced each on its own: one stale entry does not stop the others of its call', async () => {
    const { client, store, schedule, releases, claimed } = await setup(3);
    const stale = claimed.find((c) => c.releaseId === releases[1]!.id)!;
    await store.save(next(releases[1]!, { traffic: 50 }), 1, noExtras);
    const statuses = await Promise.all(claimed.map((c) => schedule.keepSteady(entry(c))));
    expect(statuses).toEqual(claimed.map((c) => (c === stale ? 'changed' : 'kept')));
    for (const c of claimed)
      expect(await client.zcard(store.keys.gateSamples(c.releaseId))).toBe(c === stale ? 0 : 1);
  });

  it('trim the chart to its cap every few readings, as full saves do', async () => {
    const { client, store, schedule, claimed } = await setup();
    const c = claimed[0]!;
    const key = store.keys.gateSamples(c.releaseId);
    expect(await schedule.keepSteady(entry(c, { samples: 5 }))).toBe('kept');
    expect(await client.ttl(key)).toBe(-1);
    await client.zadd(store.keys.gateSchedule(), 'XX', c.leaseEndMs, c.member);
    expect(await schedule.keepSteady(entry(c, { samples: 16 }))).toBe('kept');
    expect(await client.ttl(key)).toBeGreaterThan(0);
  });
});
