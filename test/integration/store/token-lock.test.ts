// The token lock on a real redis-server: one holder at a time, let go only by its own token, and a
// lock that expired and was taken again is not freed by its old holder.
import { describe, expect, it } from 'vitest';
import { letGo, takeLock } from '../../../src/store/token-lock.ts';
import { uniquePrefix, useRedis } from '../../helpers/redis.ts';

const redis = useRedis();

describe('token lock', () => {
  it('is held by one taker at a time and let go only with its token', async () => {
    const r = redis.connect();
    const key = `${uniquePrefix()}:lock:one`;
    const first = await takeLock(r, key, 10_000);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(await takeLock(r, key, 10_000)).toBeNull();
    expect(await letGo(r, key, 'someone-else')).toBe(false);
    expect(await r.get(key)).toBe(first);
    expect(await letGo(r, key, first!)).toBe(true);
    expect(await r.exists(key)).toBe(0);
    expect(await takeLock(r, key, 10_000)).not.toBeNull();
  });

  it('frees itself after its TTL; the old holder then cannot free the new one', async () => {
    const r = redis.connect();
    const key = `${uniquePrefix()}:lock:ttl`;
    const old = await takeLock(r, key, 100);
    expect(old).not.toBeNull();
    expect(await r.pttl(key)).toBeGreaterThan(0);
    await new Promise((done) => setTimeout(done, 200));
    const next = await takeLock(r, key, 10_000);
    expect(next).not.toBeNull();
    expect(await letGo(r, key, old!)).toBe(false);
    expect(await r.get(key)).toBe(next);
  });
});
