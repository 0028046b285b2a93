import { describe, expect, it } from 'vitest';
import { createRedis, redisReady, retryDelay } from '../../../src/redis/connection.ts';
import { useRedis } from '../../helpers/redis.ts';

const redis = useRedis();

describe('Redis connections', () => {
  it('gives BullMQ connections unlimited retries per command and others a few', async () => {
    const worker = createRedis(redis.url, { forWorker: true });
    const app = createRedis(redis.url);
    try {
      expect(worker.options.maxRetriesPerRequest).toBeNull();
      expect(app.options.maxRetriesPerRequest).toBe(3);
      expect(await app.ping()).toBe('PONG');
    } finally {
      worker.disconnect();
      app.disconnect();
    }
  });

  it('reconnects quickly at first and never waits more than 2 s between tries', () => {
    expect(retryDelay(1)).toBe(100);
    expect(retryDelay(5)).toBe(500);
    expect(retryDelay(1000)).toBe(2000);
  });

  it('reports readiness within a second, through a Redis restart', async () => {
    const client = createRedis(redis.url, { forWorker: true });
    try {
      expect(await redisReady(client)).toBe(true);

      await redis.server.kill();
      const started = Date.now();
      expect(await redisReady(client)).toBe(false);
      expect(Date.now() - started).toBeLessThan(1500);

      await redis.server.restart();
      const deadline = Date.now() + 5000;
      while (!(await redisReady(client)) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(await redisReady(client)).toBe(true);
    } finally {
      client.disconnect();
    }
  });
});
