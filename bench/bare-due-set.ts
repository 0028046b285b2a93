// The bare sampler's schedule kept in Redis, and nothing else (hold-memory --bare-persist 2): the
// least any sampler pays to keep "every wait is in Redis, a restart loses nothing" with more than
// one worker. Like Runway's gate sampler it ticks every 50 ms, claims up to 500 due members with a
// lease in one script (Runway's own DueSet.claim: ZRANGEBYSCORE + ZADD XX), samples them
// concurrently, and re-arms the answered ones `every` after they finished with one ZADD per turn
// (the re-arm overwrites the lease, so no ZREM). No state, no chart, no card: what is left between this and Runway is what Runway keeps.
import { Redis } from 'ioredis';
import { DueSet } from '../src/store/due-set.ts';

const KEY = 'bare:due';
const TICK_MS = 50;
const BATCH = 500;
const LEASE_MS = 30_000;

/** Arms `releases` members over one interval, then pumps them until the process ends. */
export async function runDueSet(
  redisUrl: string,
  releases: number,
  everyMs: number,
  sampleOne: (i: number, dueMs: number) => Promise<void>,
): Promise<void> {
  const redis = new Redis(redisUrl, { enableAutoPipelining: true });
  const due = new DueSet(redis, KEY);
  const t0 = Date.now();
  for (let i = 0; i < releases; i += 500) {
    const args: (string | number)[] = [];
    for (let j = i; j < Math.min(releases, i + 500); j++) args.push(t0 + (j * everyMs) / releases, String(j));
    await redis.zadd(KEY, ...args);
  }
  let inFlight = 0;
  let rearm: (string | number)[] = [];
  const flush = (): void => {
    const args = rearm;
    rearm = [];
    void redis.zadd(KEY, ...args);
  };
  const tick = async (): Promise<boolean> => {
    const room = BATCH - inFlight;
    if (room <= 0) return false;
    const claimed = await due.claim(Date.now(), room, LEASE_MS);
    for (const c of claimed) {
      const i = Number(c.member);
      inFlight += 1;
      void sampleOne(i, c.dueMs).finally(() => {
        inFlight -= 1;
        if (rearm.length === 0) setImmediate(flush);
        rearm.push(Date.now() + everyMs, String(i));
      });
    }
    return claimed.length === room;
  };
  const loop = (): void => {
    tick().then(
      (full) => setTimeout(loop, full ? 0 : TICK_MS),
      () => setTimeout(loop, TICK_MS * 10),
    );
  };
  loop();
}
