// A real redis-server for tests: one per test file on a free port, in-memory only (fast), killed when
// the test process exits even if afterAll never ran. Tests isolate themselves with uniquePrefix().
//
//   const redis = useRedis();            // at file scope: beforeAll starts it, afterAll stops it
//   it('…', async () => { const client = redis.connect(); … });
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../src/redis/free-port.ts';
import { startRedisProcess, stopRedisProcess } from '../../src/redis/start-redis-process.ts';

export interface TestRedis {
  url: string;
  port: number;
  /** Shuts it down and removes its dir. */
  stop(): Promise<void>;
  /** Stops it (if running) and starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** SIGKILL, as a crash would; restart() brings it back. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
const dirs = new Set<string>();
const killAll = (): void => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
};
process.on('exit', killAll);
// A signal ends Node without 'exit': kill the servers, then let the signal do what it would have done.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'runway-test-redis-'));
  dirs.add(dir);

  let child: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    child = await startRedisProcess({
      bin: 'redis-server',
      port,
      args: ['--save', '', '--appendonly', 'no', '--dir', dir],
    });
    running.add(child);
  };
  const halt = async (signal: 'SIGTERM' | 'SIGKILL'): Promise<void> => {
    const current = child;
    child = null;
    if (!current) return;
    if (signal === 'SIGKILL') {
      const exited = new Promise((resolve) => current.once('exit', resolve));
      current.kill('SIGKILL');
      if (current.exitCode === null && current.signalCode === null) await exited;
    } else {
      await stopRedisProcess(current);
    }
    running.delete(current);
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
    async restart() {
      await halt('SIGTERM');
      await start();
    },
    kill: () => halt('SIGKILL'),
  };
}

/** `test-<uuid>`: a key prefix (or queue name) no other test shares. */
export function uniquePrefix(): string {
  return `test-${randomUUID()}`;
}

export interface RedisFixture {
  readonly server: TestRedis;
  readonly url: string;
  /** A new client, closed in afterAll. */
  connect(options?: { forWorker?: boolean }): Redis;
}

/** One redis-server for the whole test file: started in beforeAll, stopped in afterAll. */
export function useRedis(): RedisFixture {
  let server: TestRedis | null = null;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    await server?.stop();
  });
  const started = (): TestRedis => {
    if (!server) throw new Error('useRedis(): the server starts in beforeAll; use it inside tests and hooks');
    return server;
  };
  return {
    get server() {
      return started();
    },
    get url() {
      return started().url;
    },
    connect(options = {}) {
      const client = new Redis(started().url, {
        maxRetriesPerRequest: options.forWorker ? null : 3,
        retryStrategy: (times) => Math.min(times * 50, 500),
      });
      client.on('error', () => {}); // tests that stop Redis expect failures; the awaited calls report them
      clients.push(client);
      return client;
    },
  };
}
