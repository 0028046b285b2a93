import { mkdtempSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.ts';
import { ensureRedis, type RedisHandle } from '../../../src/redis/find-redis.ts';
import { freePort } from '../../../src/redis/free-port.ts';
import { isAlive } from '../../../src/redis/local-redis-state.ts';
import { createWhich } from '../../../src/redis/which.ts';
import { useRedis } from '../../helpers/redis.ts';
import { startSentinelGroup } from '../../helpers/sentinel.ts';

const external = useRedis();
const log = createLogger({ level: 'silent' });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runway-data-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function ensure(
  dataDir: string,
  extra: Partial<Parameters<typeof ensureRedis>[0]> = {},
): Promise<RedisHandle> {
  const handle = await ensureRedis({ dataDir, log, preferredPorts: [], ...extra });
  cleanups.push(() => handle.stop());
  return handle;
}

async function withClient<T>(url: string, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
  client.on('error', () => {});
  try {
    await client.connect();
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const pid = spawnSync('true').pid;
  if (!pid || isAlive(pid)) throw new Error('could not find a dead pid');
  return pid;
}

describe('with REDIS_URL', () => {
  it('uses it when Redis answers there', async () => {
    const handle = await ensureRedis({ redisUrl: external.url, log });
    expect(handle.url).toBe(external.url);
    expect(handle.spawned).toBeUndefined();
    await handle.stop(); // never stops a Redis it does not own
    expect(await withClient(external.url, (c) => c.ping())).toBe('PONG');
  });

  it('says clearly that it cannot reach it, without printing the password', async () => {
    const port = await freePort();
    const attempt = ensureRedis({ redisUrl: `redis://:hunter2@127.0.0.1:${port}/0`, log });
    await expect(attempt).rejects.toMatchObject({ code: 'REDIS_UNREACHABLE' });
    await expect(attempt).rejects.toThrow(
      new RegExp(`cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/0 \\(REDIS_URL\\)`),
    );
    await expect(attempt).rejects.not.toThrow(/hunter2/);
    await expect(attempt).rejects.toThrow(/ECONNREFUSED.*unset REDIS_URL to let Runway start its own/);
  });

  it('gives up at once on sentinels that do not answer, without printing either password', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const url = `redis+sentinel://127.0.0.1:${a},127.0.0.1:${b}/mymaster?password=hunter2&sentinelPassword=swordfish`;
    const started = Date.now();
    const attempt = ensureRedis({ redisUrl: url, log });
    await expect(attempt).rejects.toMatchObject({ code: 'REDIS_UNREACHABLE' });
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(attempt).rejects.toThrow(
      `cannot reach Redis at redis+sentinel://:***@127.0.0.1:${a},127.0.0.1:${b}/mymaster?sentinelPassword=*** (REDIS_URL)`,
    );
    await expect(attempt).rejects.toThrow(/sentinels are unreachable/);
    await expect(attempt).rejects.not.toThrow(/hunter2|swordfish/);
  });

  it('finds the primary through Sentinel', async () => {
    const group = await startSentinelGroup();
    try {
      const handle = await ensureRedis({ redisUrl: group.url, log });
      expect(handle.url).toBe(group.url);
    } finally {
      await group.stop();
    }
  }, 90_000);
});

describe('without REDIS_URL', () => {
  it('starts a private redis-server under the data dir, with persistence on and no eviction', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    const handle = await ensure(dataDir, { preferredPorts: [port] });
    expect(handle.url).toBe(`redis://127.0.0.1:${port}`);
    expect(handle.spawned?.pid).toBeGreaterThan(0);
    const config = await withClient(handle.url, async (c) => ({
      pong: await c.ping(),
      appendonly: await c.config('GET', 'appendonly'),
      fsync: await c.config('GET', 'appendfsync'),
      policy: await c.config('GET', 'maxmemory-policy'),
      bind: await c.config('GET', 'bind'),
    }));
    expect(config).toEqual({
      pong: 'PONG',
      appendonly: ['appendonly', 'yes'],
      fsync: ['appendfsync', 'everysec'],
      policy: ['maxmemory-policy', 'noeviction'],
      bind: ['bind', '127.0.0.1'],
    });
    expect(JSON.parse(readFileSync(join(dataDir, 'redis', 'runway-redis.json'), 'utf8'))).toEqual({
      redisPid: handle.spawned?.pid,
      port,
      ownerPid: process.pid,
    });

    await handle.stop();
    expect(isAlive(handle.spawned!.pid!)).toBe(false);
    expect(existsSync(join(dataDir, 'redis', 'runway-redis.json'))).toBe(false);
  });

  it('keeps the data across a stop and a start', async () => {
    const dataDir = tempDataDir();
    const first = await ensureRedis({ dataDir, log, preferredPorts: [] });
    await withClient(first.url, (c) => c.set('kept', 'yes'));
    await first.stop();
    const second = await ensure(dataDir);
    expect(await withClient(second.url, (c) => c.get('kept'))).toBe('yes');
  });

  it('starts it again on the same port, data kept, when it dies under a long-running process', async () => {
    const handle = await ensure(tempDataDir());
    handle.keepRunning?.();
    await withClient(handle.url, async (c) => {
      await c.set('kept', 'yes');
      await c.call('BGREWRITEAOF').catch(() => undefined);
    });
    await new Promise((r) => setTimeout(r, 1200)); // appendfsync everysec
    const first = handle.spawned!.pid!;
    process.kill(first, 'SIGKILL');
    const value = await (async () => {
      for (let i = 0; i < 100; i++) {
        const got = await withClient(handle.url, (c) => c.get('kept')).catch(() => undefined);
        if (got) return got;
        await new Promise((r) => setTimeout(r, 100));
      }
      return undefined;
    })();
    expect(value).toBe('yes');
  });

  it('shares the one a live Runway process started instead of starting a second', async () => {
    const dataDir = tempDataDir();
    const first = await ensure(dataDir);
    const second = await ensureRedis({ dataDir, log, preferredPorts: [] });
    expect(second.url).toBe(first.url);
    expect(second.spawned).toBeUndefined();
    await second.stop(); // not its to stop
    expect(await withClient(first.url, (c) => c.ping())).toBe('PONG');
  });

  it('adopts one whose Runway process died, and stops it on the way out', async () => {
    const dataDir = tempDataDir();
    const first = await ensure(dataDir);
    const stateFile = join(dataDir, 'redis', 'runway-redis.json');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { redisPid: number };
    writeFileSync(stateFile, JSON.stringify({ ...state, ownerPid: deadPid() }));

    const adopted = await ensureRedis({ dataDir, log, preferredPorts: [] });
    expect(adopted.url).toBe(first.url);
    expect(adopted.spawned).toBeUndefined();
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({ ownerPid: process.pid });
    await adopted.stop();
    expect(isAlive(state.redisPid)).toBe(false);
    expect(existsSync(stateFile)).toBe(false);
  });

  it('starts a new one when the recorded server is gone', async () => {
    const dataDir = tempDataDir();
    const first = await ensureRedis({ dataDir, log, preferredPorts: [] });
    const firstPid = first.spawned!.pid!;
    first.spawned!.kill('SIGKILL');
    await new Promise((resolve) => first.spawned!.once('exit', resolve));
    expect(existsSync(join(dataDir, 'redis', 'runway-redis.json'))).toBe(true); // a crash leaves it behind

    const second = await ensure(dataDir);
    expect(second.spawned?.pid).not.toBe(firstPid);
    expect(await withClient(second.url, (c) => c.ping())).toBe('PONG');
  });

  it('installs redis-server when it is missing and it may (root on Debian), then starts it', async () => {
    const dataDir = tempDataDir();
    const realWhich = createWhich();
    let installed = false;
    const handle = await ensure(dataDir, {
      which: (cmd) => (installed ? realWhich(cmd) : Promise.resolve(null)),
      isRoot: () => true,
      isDebian: () => true,
      installer: async () => {
        installed = true;
      },
    });
    expect(installed).toBe(true);
    expect(await withClient(handle.url, (c) => c.ping())).toBe('PONG');
  });
});
