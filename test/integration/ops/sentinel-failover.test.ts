// SPEC §14: with REDIS_URL=redis+sentinel://…, a primary lost mid-release loses no release, runs no
// finished action again, and the release carries on once Sentinel has promoted the replica. A real
// primary, replica and three sentinels; a real `runway worker` process; the primary SIGKILLed in the
// canary hold; /readyz read throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../../helpers/redis.ts';
import { startSentinelGroup, type SentinelGroup } from '../../helpers/sentinel.ts';
import { sendJson, startServer, type TestServer } from '../../helpers/http-server.ts';
import { loadTestRunbook, startedRelease, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';
import { spawnWorkerOn, writeRunbookFile, type WorkerProcess } from '../../helpers/worker-process.ts';
import { recordedActions, withoutKeys } from '../../helpers/recorded-actions.ts';
import { freePort } from '../../../src/redis/free-port.ts';
import type { Runtime } from '../../../src/runtime.ts';
import { createRedis } from '../../../src/redis/connection.ts';
import { REPLICA_WAIT_MS, waitForReplica } from '../../../src/redis/replicated.ts';

let group: SentinelGroup;
let metrics: TestServer;
beforeAll(async () => {
  group = await startSentinelGroup();
  metrics = await startServer((_req, res) => sendJson(res, 200, { error_rate: 0.001 }));
}, 90_000);
afterAll(async () => {
  await metrics?.close();
  await group?.stop();
});

function runbook() {
  const rec = recordedActions('sentinel-flow');
  const env = `env: { RECORD_STARTS: "${rec.startsFile}" }`;
  const yaml = `
version: 1
services:
  checkout:
    previous_version: v1.0.0
    approvals: { required: 0 }
    actions:
      deploy: { command: ${rec.cmd('deploy', '{{version}}')}, ${env} }
      traffic: { command: ${rec.cmd('traffic', '{{percent}}')}, ${env} }
      rollback: { command: ${rec.cmd('rollback', '{{previous_version}}')}, ${env} }
    gates:
      error_rate:
        http: { url: "${metrics.url}/errors", path: error_rate }
        max: 0.01
        every: 300ms
    stages:
      - deploy
      - { traffic: 10, hold: 7s, gates: [error_rate] }
      - { traffic: 100 }
`;
  return {
    file: writeRunbookFile(yaml, rec.dir),
    yaml,
    done: () => withoutKeys(rec.done()),
    starts: () => withoutKeys(rec.starts()),
  };
}

interface Reading {
  sent: number;
  answered: number;
  /** 0: no answer. */
  status: number;
}

/** Reads /readyz every 100 ms until stopped. */
function watchReadiness(url: string): { readings: Reading[]; stop: () => Promise<void> } {
  const readings: Reading[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const sent = Date.now();
      const status = await fetch(url, { signal: AbortSignal.timeout(3000) }).then(
        (r) => r.status,
        () => 0,
      );
      readings.push({ sent, answered: Date.now(), status });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    readings,
    stop: async () => {
      on = false;
      await loop;
    },
  };
}

/** A failure says what the worker process logged. */
async function withWorkerOutput<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw new Error(
      `${String(error)}\n--- worker output (tail) ---\n${worker?.output().slice(-4000) ?? ''}`,
      {
        cause: error,
      },
    );
  }
}

let worker: WorkerProcess | undefined;

describe('Redis Sentinel: the primary is lost during a canary hold', () => {
  let runtime: Runtime | undefined;
  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await runtime?.close();
  });

  it("waits until the replica has this connection's writes (a finished action's record)", async () => {
    const redis = createRedis(group.url);
    try {
      await redis.set('sentinel-test-finished', 'done');
      expect(await waitForReplica(redis)).toBe(1);
    } finally {
      redis.disconnect();
    }
  });

  it('fails over: the release completes, each action ran once, /readyz is 503 in the gap and 200 after', async () => {
    const rb = runbook();
    const prefix = uniquePrefix();
    // The engine (as an app process would have) and a real worker process, both through Sentinel.
    ({ runtime } = await startRunway(group.url, loadTestRunbook(rb.yaml), { workers: false, prefix }));
    const port = await freePort();
    worker = spawnWorkerOn(
      { redisUrl: group.url, prefix, config: rb.file },
      { PORT: String(port), LOG_LEVEL: 'info' },
    );
    const readyz = `http://127.0.0.1:${port}/readyz`;
    // A cold start compiles the sources through tsx: slow on a busy machine.
    await withWorkerOutput(
      waitFor(
        'the worker to be ready',
        async () => (await fetch(readyz).catch(() => null))?.status === 200,
        60_000,
      ),
    );

    const id = await startedRelease(runtime, 'v2.0.0');
    await waitFor('the 10% hold', async () => (await runtime?.store.get(id))?.stages[1]?.phase === 'hold');
    expect(rb.done()).toEqual(['deploy v2.0.0', 'traffic 10']);

    const readiness = watchReadiness(readyz);
    const oldPrimary = await group.killPrimary();
    const killedAt = Date.now();
    const newPrimary = await group.waitForFailover(oldPrimary);
    expect(newPrimary).not.toBe(oldPrimary);
    const switchedAt = group.switchedAt() ?? Date.now();

    const done = await withWorkerOutput(
      waitForState(runtime, id, ['completed', 'rolled_back', 'failed'], 40_000),
    );
    // Ready again once the worker's connections have followed the failover.
    await waitFor('/readyz 200 after the failover', async () =>
      readiness.readings.some((r) => r.sent > switchedAt && r.status === 200),
    );
    await readiness.stop();

    expect(done.state).toBe('completed');
    expect(rb.done()).toEqual(['deploy v2.0.0', 'traffic 10', 'traffic 100']);
    expect(rb.starts()).toEqual(['deploy v2.0.0', 'traffic 10', 'traffic 100']);

    // In the gap (asked after the kill, answered before any sentinel named the new primary): 503.
    // switchedAt is when the test's own subscriber heard +switch-master: the app may have learned the
    // new primary from another sentinel a moment earlier, so the last half second is not held to 503.
    const gap = readiness.readings.filter((r) => r.sent >= killedAt && r.answered < switchedAt - 500);
    const back = readiness.readings.find((r) => r.sent > killedAt && r.status === 200);
    if (process.env.SENTINEL_TIMINGS)
      process.stdout.write(
        `switch-master after ${switchedAt - killedAt} ms, ready after ${(back?.sent ?? 0) - killedAt} ms, gap readings ${JSON.stringify(gap.map((r) => r.status))}\n`,
      );
    expect(readiness.readings.some((r) => r.answered > killedAt && r.status === 503)).toBe(true);
    expect(gap.every((r) => r.status === 503)).toBe(true);
    expect(readiness.readings.at(-1)?.status).toBe(200);

    // It was Sentinel's new primary that finished the release, and no password reached the log.
    expect(await group.primaryPort()).toBe(newPrimary);
    // The new primary has no replica (the old one is gone): waiting for one gives up quickly.
    const alone = createRedis(group.url);
    const asked = Date.now();
    expect(await waitForReplica(alone)).toBe(0);
    expect(Date.now() - asked).toBeLessThan(REPLICA_WAIT_MS + 2000);
    alone.disconnect();
    const output = worker.output();
    expect(output).toContain('redis+sentinel://');
    expect(output).not.toContain(group.password);
    expect(output).not.toContain(group.sentinelPassword);
  }, 90_000);
});
