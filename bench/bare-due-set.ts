// The bare sampler's schedule kept in Redis, and nothing else (hold-memory --bare-persist 2): the
// least any sampler pays to keep "every wait is in Redis, a restart loses nothing" with more than
// one worker. Like Runway's gate sampler it ticks every 50 ms, claims up to 500 due members with a
// lease in one script (ZRANGEBYSCORE + ZADD XX), samples them concurrently, and re-arms the answered
// ones `every` after they finished with one ZADD per turn (the re-arm overwrites the lease, so no
// ZREM). No state, no chart, no card: what is left between this and Runway is what Runway keeps.
import { Redis } from 'ioredis';

const CLAIM = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local leaseEnd = tonumber(ARGV[1]) + tonumber(ARGV[3])
for i = 1, #due, 2 do redis.call('ZADD', KEYS[1], 'XX', leaseEnd, due[i]) end
return due`;

const KEY = 'bare:due';
const TICK_MS = 50;
const BATCH = 500;
const LEASE_MS = 30_000;

type Claim = (key: string, now: string, limit: string, lease: string) => Promise<string[]>;

/** Arms `releases` members over one interval, then pumps them until the process ends. */
export async function runDueSet(
  redisUrl: string,
  releases: number,
  everyMs: number,
  sampleOne: (i: number, dueMs: number) => Promise<void>,
): Promise<void> {
  const redis = new Redis(redisUrl, { enableAutoPipelining: true });
  redis.defineCommand('claimDue', { numberOfKeys: 1, lua: CLAIM });
  const claim = (redis as unknown as { claimDue: Claim }).claimDue.bind(redis);
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
    const due = await claim(KEY, String(Date.now()), String(room), String(LEASE_MS));
    for (let k = 0; k < due.length; k += 2) {
      const i = Number(due[k]);
      inFlight += 1;
      void sampleOne(i, Number(due[k + 1])).finally(() => {
        inFlight -= 1;
        if (rearm.length === 0) setImmediate(flush);
        rearm.push(Date.now() + everyMs, String(i));
      });
    }
    return due.length / 2 === room;
  };
  const loop = (): void => {
    tick().then(
      (full) => setTimeout(loop, full ? 0 : TICK_MS),
      () => setTimeout(loop, TICK_MS * 10),
    );
  };
  loop();
}
