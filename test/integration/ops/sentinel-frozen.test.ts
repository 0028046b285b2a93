// SPEC §14 with a primary that goes silent instead of dying (a frozen VM, a cut network: SIGSTOP
// here): no socket closes, and Sentinel cannot kill the clients of a node it cannot reach. Runway's
// clients — and the ones BullMQ duplicates from them — must still follow the failover, and a
// release carry on. A real primary, replica and three sentinels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSentinelGroup, type SentinelGroup } from '../../helpers/sentinel.ts';
import { createRedis } from '../../../src/redis/connection.ts';
import { resolvedWithin } from '../../../src/time-limit.ts';

let group: SentinelGroup;
beforeAll(async () => {
  group = await startSentinelGroup();
}, 90_000);
afterAll(async () => {
  await group?.stop();
});

describe('Redis Sentinel: the primary freezes', () => {
  it('every client, duplicated ones too, moves to the new primary and answers again', async () => {
    const redis = createRedis(group.url, { forWorker: true });
    const duplicated = redis.duplicate();
    try {
      await redis.set('frozen-test', 'before');
      expect(await duplicated.get('frozen-test')).toBe('before');
      // Let the watcher learn the primary first (it asks every second).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const old = await group.freezePrimary();
      const now = await group.waitForFailover(old);
      expect(now).not.toBe(old);
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
    } finally {
      redis.disconnect();
      duplicated.disconnect();
    }
  }, 60_000);
});
