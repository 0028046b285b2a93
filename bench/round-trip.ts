// What one Redis round trip costs in CPU, back to back and with a pause before each (the way a
// sampler's writes arrive: a few every tens of milliseconds, both processes asleep in between). On a
// VM a sleeping process pays for being woken (the hypervisor's idle exit, the IPI of the wake-up),
// so the same PING costs several times more when spaced. hold-memory's "CPU per sample" carries that
// cost for every write the worker sends and every reply it waits for.
//
//   node bin/run-ts.js bench/round-trip.ts            # --pings 20000 --spaced 1000
import { Redis } from 'ioredis';
import { benchRedis, cpuSeconds, fmt, intFlags, isMain, runBench } from './lib.ts';

export const ROUND_TRIP_DEFAULTS = { pings: 20_000, spaced: 1_000 };

interface Row {
  gapMs: number;
  clientUs: number;
  redisUs: number;
}

async function measure(redis: Redis, rpid: number, count: number, gapMs: number): Promise<Row> {
  const client0 = process.cpuUsage();
  const redis0 = cpuSeconds(rpid);
  for (let i = 0; i < count; i++) {
    await redis.ping();
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  const client = process.cpuUsage(client0);
  return {
    gapMs,
    clientUs: (client.user + client.system) / count,
    redisUs: ((cpuSeconds(rpid) - redis0) * 1e6) / count,
  };
}

export async function roundTrip(opts: typeof ROUND_TRIP_DEFAULTS): Promise<Row[]> {
  const { redis: server, rpid } = await benchRedis();
  const redis = new Redis(server.url);
  try {
    await measure(redis, rpid, 2_000, 0); // warm up
    const rows = [await measure(redis, rpid, opts.pings, 0)];
    for (const gapMs of [1, 2, 10, 50]) rows.push(await measure(redis, rpid, opts.spaced, gapMs));
    console.log(
      `\nround-trip: one PING through ioredis, CPU per round trip (µs; Redis from /proc, 10 ms ticks)\n`,
    );
    console.log('  pause before each   client   redis-server');
    for (const r of rows)
      console.log(
        `  ${(r.gapMs === 0 ? 'none (back to back)' : `${r.gapMs} ms`).padEnd(19)} ${fmt(r.clientUs, 0).padStart(6)}   ${fmt(r.redisUs, 0).padStart(6)}`,
      );
    return rows;
  } finally {
    redis.disconnect();
  }
}

if (isMain(import.meta.url)) {
  await runBench(async () => {
    await roundTrip(intFlags(process.argv.slice(2), { ...ROUND_TRIP_DEFAULTS }));
  });
}
