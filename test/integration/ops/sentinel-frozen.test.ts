// SPEC §14 with a primary that goes silent instead of dying (a frozen VM, a cut network: SIGSTOP
// here): no socket closes, and Sentinel cannot kill the clients of a node it cannot reach. Runway's
// clients — and the ones BullMQ duplicates from them — must still follow the failover, and a
// release carry on. A real primary, replica and three sentinels, and a real `runway worker` process
// whose deploy action is still running when the primary freezes (one failover for the whole file:
// after it the group has no replica left to promote).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSentinelGroup, type SentinelGroup } from '../../helpers/sentinel.ts';
import { uniquePrefix } from '../../helpers/redis.ts';
import { loadTestRunbook, startedRelease, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';
import { spawnWorkerOn, writeRunbookFile, type WorkerProcess } from '../../helpers/worker-process.ts';
import { recordedActions, withoutKeys } from '../../helpers/recorded-actions.ts';
import { createRedis } from '../../../src/redis/connection.ts';
import { freePort } from '../../../src/redis/free-port.ts';
import { resolvedWithin } from '../../../src/time-limit.ts';
import type { Runtime } from '../../../src/runtime.ts';

let group: SentinelGroup;
let worker: WorkerProcess | undefined;
let runtime: Runtime | undefined;
beforeAll(async () => {
  group = await startSentinelGroup();
}, 90_000);
afterAll(async () => {
  await worker?.kill('SIGKILL');
  await runtime?.close();
  await group?.stop();
});

/** A deploy that takes DEPLOY_MS, so the primary can freeze while it runs. */
const DEPLOY_MS = 3000;

function runbook() {
  const rec = recordedActions('sentinel-frozen');
  const env = `RECORD_STARTS: "${rec.startsFile}"`;
  const yaml = `
version: 1
services:
  checkout:
    previous_version: v1.0.0
    approvals: { required: 0 }
    actions:
      deploy: { command: ${rec.cmd('deploy', '{{version}}')}, env: { ${env}, RECORD_SLEEP_MS: "${DEPLOY_MS}" } }
      traffic: { command: ${rec.cmd('traffic', '{{percent}}')}, env: { ${env} } }
      rollback: { command: ${rec.cmd('rollback', '{{previous_version}}')}, env: { ${env} } }
    stages:
      - deploy
      - { traffic: 10, hold: 2s }
      - { traffic: 100 }
`;
  return {
    file: writeRunbookFile(yaml, rec.dir),
    yaml,
    done: () => withoutKeys(rec.done()),
    starts: () => withoutKeys(rec.starts()),
  };
}

describe('Redis Sentinel: the primary freezes during a running deploy', () => {
  it('the release completes on the new primary, each action ran once, and every client (duplicated ones too) moved', async () => {
    const rb = runbook();
    const prefix = uniquePrefix();
    ({ runtime } = await startRunway(group.url, loadTestRunbook(rb.yaml), { workers: false, prefix }));
    const port = await freePort();
    worker = spawnWorkerOn({ redisUrl: group.url, prefix, config: rb.file }, { PORT: String(port) });
    const readyz = `http://127.0.0.1:${port}/readyz`;
    await waitFor(
      'the worker to be ready',
      async () => (await fetch(readyz).catch(() => null))?.status === 200,
      60_000,
    );
    const redis = createRedis(group.url, { forWorker: true });
    const duplicated = redis.duplicate();
    try {
      await redis.set('frozen-test', 'before');
      expect(await duplicated.get('frozen-test')).toBe('before');
      // Let the watchers learn the primary first (they ask every second).
      await new Promise((resolve) => setTimeout(resolve, 1500));

      const id = await startedRelease(runtime, 'v2.0.0');
      await waitFor('the deploy to start', async () => rb.starts().includes('deploy v2.0.0'));
      expect(rb.done()).toEqual([]);
      const old = await group.freezePrimary();
      const now = await group.waitForFailover(old);
      expect(now).not.toBe(old);

      const done = await waitForState(runtime, id, ['completed', 'rolled_back', 'failed'], 60_000).catch(
        (error: unknown) => {
          throw new Error(`${String(error)}\n--- worker output (tail) ---\n${worker?.output().slice(-4000)}`);
        },
      );
      expect(done.state).toBe('completed');
      expect(rb.done()).toEqual(['deploy v2.0.0', 'traffic 10', 'traffic 100']);
      expect(rb.starts()).toEqual(['deploy v2.0.0', 'traffic 10', 'traffic 100']);
      expect(await group.primaryPort()).toBe(now);

      // The writes the frozen primary took and the replica has are there; new ones go through.
      const write = (client: typeof redis, value: string) =>
        resolvedWithin(
          client.set('frozen-test', value).then((reply) => reply === 'OK'),
          10_000,
          false,
        );
      expect(await write(redis, 'after')).toBe(true);
      expect(await write(duplicated, 'after, duplicated')).toBe(true);
      expect(await redis.get('frozen-test')).toBe('after, duplicated');
      expect((await fetch(readyz)).status).toBe(200);
    } finally {
      redis.disconnect();
      duplicated.disconnect();
    }
  }, 150_000);
});
