// A lock held with a random token: taken with SET NX PX (it frees itself if the holder dies), and
// let go by compare-and-delete, so a holder whose lock expired and was taken by another process
// never frees the new holder's. The notify drain, the Slack lanes, the card budget and GitHub
// reports each hold one; a service/environment lock is let go the same way (its token is the
// release id, taken by create-release.lua).
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { runScript, scripts } from './scripts.ts';

/** The token when taken, null while another holder has it. */
export async function takeLock(redis: Redis, key: string, ttlMs: number): Promise<string | null> {
  const token = randomUUID();
  return (await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK' ? token : null;
}

/** Lets the lock go if `token` still holds it; true when it did. */
export async function letGo(redis: Redis, key: string, token: string): Promise<boolean> {
  return Number(await runScript(redis, scripts.releaseLock, [key], [token])) === 1;
}
