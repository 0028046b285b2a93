// The batch gate sampler: claims are exclusive across workers, a dead worker's claims come back when
// their lease runs out, and a release keeps one sample per `every` across a SIGKILLed worker.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { loadTestRunbook, startedRelease, startRunway, waitFor } from '../../helpers/runway.ts';
import { spawnWorker, type WorkerProcess } from '../../helpers/worker-process.ts';
import { startServer, type TestServer } from '../../helpers/http-server.ts';
import { holdingService, steadyVector } from '../../helpers/gate-hold.ts';
import { GateSchedule, parseSampleMember, sampleMember } from '../../../src/store/gate-schedule.ts';
import { storeKeys } from '../../../src/store/keys.ts';

const redis = useRedis();

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

describe('sample members', () => {
  it.each([
    { releaseId: 'r-1', gate: 'error_rate', epoch: 0, seq: 3 },
    { releaseId: 'a/b', gate: 'p99', epoch: 2, seq: 17 },
  ])('round-trips %o', (ref) => {
    expect(parseSampleMember(sampleMember(ref))).toEqual(ref);
  });
  it.each(['', 'r/g/1', 'r/g/x/1', '/g/1/2'])('rejects %j', (m) => {
    expect(parseSampleMember(m)).toBeNull();
  });
});

describe('the gate schedule', () => {
  it('two workers claiming at once never get the same sample, and together get all of them', async () => {
    const keys = storeKeys(uniquePrefix());
    const a = new GateSchedule(redis.connect(), keys);
    const b = new GateSchedule(redis.connect(), keys);
    const now = Date.now();
    const all = Array.from({ length: 600 }, (_, i) => ({ releaseId: `r${i}`, gate: 'g', epoch: 0, seq: 1 }));
    for (const ref of all) await a.arm(ref, now - 10);
    await a.arm({ releaseId: 'later', gate: 'g', epoch: 0, seq: 1 }, now + 60_000);
    const takeAll = async (s: GateSchedule) => {
      const got: string[] = [];
      for (;;) {
        const batch = await s.claim(Date.now(), 37, 60_000);
        if (batch.length === 0) return got;
        got.push(...batch.map((c) => c.member));
      }
    };
    const [fromA, fromB] = await Promise.all([takeAll(a), takeAll(b)]);
    expect(fromA.length).toBeGreaterThan(0);
    expect(fromB.length).toBeGreaterThan(0);
    expect(fromA.filter((m) => fromB.includes(m))).toEqual([]);
    expect(new Set([...fromA, ...fromB])).toEqual(new Set(all.map(sampleMember)));
  });

  it('a claim that is never finished comes due again when its lease runs out', async () => {
    const keys = storeKeys(uniquePrefix());
    const dead = new GateSchedule(redis.connect(), keys);
    const alive = new GateSchedule(redis.connect(), keys);
    const ref = { releaseId: 'r', gate: 'g', epoch: 1, seq: 4 };
    await dead.arm(ref, Date.now() - 1);
    expect((await dead.claim(Date.now(), 10, 300)).map((c) => c.member)).toEqual([sampleMember(ref)]);
    expect(await alive.claim(Date.now(), 10, 300)).toEqual([]);
    await new Promise((r) => setTimeout(r, 350));
    const taken = await alive.claim(Date.now(), 10, 300);
    expect(taken.map((c) => c.member)).toEqual([sampleMember(ref)]);
    await alive.finish(taken.map((c) => c.member));
    expect(await alive.size()).toBe(0);
  });

  it('arming the same sample twice (a repeated dispatch) keeps its first due time', async () => {
    const keys = storeKeys(uniquePrefix());
    const s = new GateSchedule(redis.connect(), keys);
    const ref = { releaseId: 'r', gate: 'g', epoch: 0, seq: 1 };
    await s.arm(ref, 1000);
    await s.arm(ref, 5000);
    expect((await s.claim(2000, 10, 1000)).map((c) => c.dueMs)).toEqual([1000]);
  });
});

describe('a worker SIGKILLed while it holds gate claims', () => {
  let prom: TestServer;
  let hang = false;
  beforeAll(async () => {
    prom = await startServer((_req, res) => {
      if (hang) return; // the sample in flight when the worker dies: never answered
      steadyVector(res);
    });
  });
  afterAll(() => prom.close());

  it('another worker takes the claims over and the release keeps one sample per `every`', async () => {
    const prefix = uniquePrefix();
    const dir = mkdtempSync(join(tmpdir(), 'runway-sampler-'));
    const yaml = `
version: 1
services:
  checkout:
    previous_version: v1.0.0
    approvals: { required: 0 }
    actions:
      deploy: { command: ["true"] }
      traffic: { command: ["true"] }
      rollback: { command: ["true"] }
    gates:
      error_rate:
        prometheus: { url: "${prom.url}", query: 'sum(rate(errors[1m]))' }
        timeout: 2s
        max: 0.05
        every: 1s
    stages:
      - deploy
      - { traffic: 10, hold: 10m, gates: [error_rate] }
`;
    const file = join(dir, 'runway.yml');
    writeFileSync(file, yaml);
    const { runtime } = await startRunway(redis.url, loadTestRunbook(yaml), { workers: false, prefix });
    cleanup.push(() => runtime.close());
    const spawn = (): WorkerProcess => {
      const w = spawnWorker({ REDIS_URL: redis.url, RUNWAY_PREFIX: prefix, RUNWAY_CONFIG: file });
      cleanup.push(() => w.kill('SIGKILL'));
      return w;
    };
    const first = spawn();
    const started = await runtime.engine.start({
      service: 'checkout',
      version: 'v2.0.0',
      requester: 'UALICE',
    });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;
    // Every sample's durable record is its chart point (steady readings are saved in the release
    // once per card window, so its own count lags).
    const kept = () => runtime.insight.samples.list(id);
    const samples = async () => (await kept()).length;
    await waitFor('three samples', async () => (await samples()) >= 3, 90_000).catch(async (e: unknown) => {
      throw new Error(
        `${String(e)}; worker: ${first.output()}; release: ${JSON.stringify(await runtime.store.get(id))}`.slice(
          0,
          3000,
        ),
      );
    });

    // The next request hangs: the worker dies holding that claim.
    hang = true;
    const asked = prom.requests.length;
    await waitFor('a sample in flight', async () => prom.requests.length > asked, 10_000);
    const before = await samples();
    await first.kill('SIGKILL');
    hang = false;
    expect(await runtime.gates.size()).toBe(1); // the claimed sample, waiting out its lease
    const second = spawn();

    // The claim (30 s lease) is taken over; the sample it held counts once, then one per second.
    await waitFor(
      'the taken-over sample',
      async () => (await samples()) > before,
      // The 30 s lease plus a new worker's start on a busy machine (tsx, ~10–30 s at load 20).
      120_000,
    ).catch(async (e: unknown) => {
      const schedule = await redis.connect().zrange(storeKeys(prefix).gateSchedule(), 0, -1, 'WITHSCORES');
      throw new Error(
        `${String(e)}; now ${Date.now()}; schedule ${JSON.stringify(schedule)}; worker: ${second.output()}`.slice(
          0,
          3000,
        ),
      );
    });
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 6000));
    const seconds = (Date.now() - t0) / 1000;
    const times = (await kept()).map((k) => Date.parse(k.at)).filter((at) => at >= t0);
    const after = await runtime.store.get(id);
    // One per `every` (1 s) plus the time a sample takes: not doubled, not dropped (wide margins).
    expect(times.length).toBeGreaterThanOrEqual(Math.floor(seconds / 2));
    expect(times.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThan(500);
    expect(after!.state).toBe('running');
    expect(await runtime.gates.size()).toBe(1); // exactly one armed sample, never two
  }, 360_000);
});

describe('a slow gate', () => {
  let prom: TestServer;
  beforeAll(async () => {
    prom = await startServer((req, res) => {
      const answer = () => steadyVector(res);
      // The slow service's Prometheus takes 4 s to answer (within its 10 s timeout).
      if ((req.url ?? '').includes('slow')) setTimeout(answer, 4000);
      else answer();
    });
  });
  afterAll(() => prom.close());

  it("does not hold up another release's samples on the same worker", async () => {
    const yaml = `version: 1\nservices:${holdingService('slow', prom.url)}${holdingService('fast', prom.url)}\n`;
    const { runtime } = await startRunway(redis.url, loadTestRunbook(yaml));
    cleanup.push(() => runtime.close());
    const ids: string[] = [];
    for (const name of ['slow', 'fast']) {
      const started = await runtime.engine.start({ service: name, version: 'v2.0.0', requester: 'UALICE' });
      if (!started.ok) throw new Error(started.reason);
      ids.push(started.release.id);
    }
    const samples = async (id: string) => (await runtime.insight.samples.list(id)).length;
    await waitFor('the slow gate in flight', async () => prom.requests.some((r) => r.path.includes('slow')));
    const from = await samples(ids[1]!);
    await new Promise((r) => setTimeout(r, 3500));
    // Sampled once per second (plus its own time) while the slow one's answer is outstanding;
    // a sampler that waits for its whole batch would have taken at most one.
    expect((await samples(ids[1]!)) - from).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe('a release changed by someone else between two samples', () => {
  let prom: TestServer;
  beforeAll(async () => {
    prom = await startServer((_req, res) => steadyVector(res));
  });
  afterAll(() => prom.close());

  it('is not sampled again from the copy the sampler saved (the claim brings the stored rev)', async () => {
    const yaml = `version: 1\nservices:${holdingService('checkout', prom.url, '2s')}\n`;
    const { runtime } = await startRunway(redis.url, loadTestRunbook(yaml));
    cleanup.push(() => runtime.close());
    const id = await startedRelease(runtime, 'v2.0.0');
    const samples = async () => (await runtime.store.get(id))?.gates.error_rate?.samples ?? 0;
    await waitFor('a first sample', async () => (await samples()) >= 1, 30_000);
    // Right after a sample is saved (the next is due 2 s later), another writer ends the release.
    const seen = await samples();
    await waitFor('the next sample saved', async () => (await samples()) > seen, 10_000);
    const aborted = await runtime.engine.abort(id, { user: 'UBOB' }, 'wrong build');
    if (!aborted.ok) throw new Error(aborted.reason);
    const asked = prom.requests.length;
    await new Promise((r) => setTimeout(r, 4500));
    // Its armed sample came due and was dropped as stale without a query: the sampler's own copy
    // (still in a hold) was not trusted, since its rev was no longer the stored one.
    expect(prom.requests.length).toBe(asked);
    expect(await runtime.gates.size()).toBe(0);
  }, 60_000);
});
