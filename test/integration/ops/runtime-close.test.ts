// runtime.close() must end, Redis or not: BullMQ's Worker.close() never resolves while its blocking
// connection is reconnecting (taskforcesh/bullmq#4656), and a SIGTERM'd pod has 30 s to leave.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, uniquePrefix, type TestRedis } from '../../helpers/redis.ts';
import { loadTestRunbook, memoryLogger, FAST } from '../../helpers/runway.ts';
import { createRuntime } from '../../../src/runtime.ts';

const book = loadTestRunbook(`
version: 1
services:
  checkout:
    approvals: { required: 0 }
    actions:
      deploy: { command: ["true"] }
      rollback: { command: ["true"] }
    stages: [deploy]
`);
const WAIT_MS = 1_500;
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

async function runningRuntime() {
  const logger = memoryLogger();
  const runtime = createRuntime({
    redisUrl: redis.url,
    prefix: uniquePrefix(),
    runbook: () => book,
    log: logger.log,
  });
  await runtime.startWorkers(FAST);
  await new Promise((r) => setTimeout(r, 300));
  return { runtime, logger };
}

async function timedClose(runtime: ReturnType<typeof createRuntime>): Promise<number> {
  const t0 = Date.now();
  await runtime.close({ waitMs: WAIT_MS });
  return Date.now() - t0;
}

describe('runtime.close()', () => {
  it('returns quickly while Redis is up', async () => {
    const { runtime, logger } = await runningRuntime();
    expect(await timedClose(runtime)).toBeLessThan(WAIT_MS);
    expect(logger.lines.join('\n')).not.toMatch(/did not stop in time/);
  });

  it('gives up waiting and disconnects while Redis is down', async () => {
    const { runtime } = await runningRuntime();
    await redis.kill();
    try {
      // Wide margin: the bound is WAIT_MS; without it this waits until the test times out. (Whether
      // the workers hang or notice in time is a race, so the warning is not asserted.)
      expect(await timedClose(runtime)).toBeLessThan(WAIT_MS + 5_000);
    } finally {
      await redis.restart();
    }
  });

  it('ends right after Redis came back from a crash (connections still reconnecting)', async () => {
    for (let round = 0; round < 3; round++) {
      const { runtime } = await runningRuntime();
      await redis.kill();
      await new Promise((r) => setTimeout(r, 1_000));
      await redis.restart();
      expect(await timedClose(runtime)).toBeLessThan(WAIT_MS + 5_000);
    }
  });
});
