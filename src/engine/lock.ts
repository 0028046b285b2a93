// A short Redis lock (SET NX PX + compare-and-delete) for work one process at a time should do.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE_SCRIPT = `
-- Input: KEYS[1] lock key; ARGV[1] owner token. Output: 1 when deleted, 0 when held by someone else.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type WithUnlock = Redis & { runwayUnlock(key: string, token: string): Promise<number> };
const defined = new WeakSet<Redis>();

/** The unlock script, sent by SHA (EVALSHA) after the first call instead of as text every time. */
function unlocking(redis: Redis): WithUnlock {
  if (!defined.has(redis)) {
    redis.defineCommand('runwayUnlock', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    defined.add(redis);
  }
  return redis as WithUnlock;
}

/** Runs fn while holding the lock; returns false without running it when someone else holds it. */
export async function withLock(redis: Redis, key: string, ttlMs: number, fn: () => Promise<void>): Promise<boolean> {
  const token = randomUUID();
  const got = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (got !== 'OK') return false;
  try {
    await fn();
  } finally {
    await unlocking(redis).runwayUnlock(key, token);
  }
  return true;
}
