// Finding Redis (SPEC §1): REDIS_URL if set; else a private redis-server under `.runway/redis` with
// persistence on, reused when one is running already; else install it (root on Debian/Ubuntu); else
// stop with a message naming the three ways to get one.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { newRedis } from './connection.ts';
import { maskRedisUrl } from './redis-url.ts';
import { RedisNotFoundError, RedisSetupError } from './errors.ts';
import { pickPort } from './free-port.ts';
import { aptInstallRedis, isDebianLike, isRoot, type Installer } from './install-redis.ts';
import { isAlive, readState, removeState, withSpawnLock, writeState } from './local-redis-state.ts';
import { startRedisProcess, stopRedisProcess } from './start-redis-process.ts';
import { createWhich, type Which } from './which.ts';

export interface EnsureRedisOptions {
  /** REDIS_URL; when set, nothing is spawned. */
  redisUrl?: string;
  dataDir?: string;
  log: Logger;
  which?: Which;
  installer?: Installer;
  isRoot?: () => boolean;
  isDebian?: () => boolean;
  /** Ports tried first, so a person can find the bot's Redis with redis-cli (6390–6399). */
  preferredPorts?: number[];
  startTimeoutMs?: number;
}

export interface RedisHandle {
  url: string;
  /** Set when this call started the server. */
  spawned?: ChildProcess;
  /** Stops the server if this process owns it; a no-op for REDIS_URL and for a shared server. */
  stop(): Promise<void>;
  /**
   * For a long-running process that started the server: start it again, on the same port and with
   * the same append-only file, whenever it exits unexpectedly. Absent when we did not start it.
   */
  keepRunning?(): void;
}

const DEFAULT_PORTS = Array.from({ length: 10 }, (_, i) => 6390 + i);
const PORT_ATTEMPTS = 3;

export async function ensureRedis(options: EnsureRedisOptions): Promise<RedisHandle> {
  const { log } = options;
  if (options.redisUrl) {
    await checkReachable(options.redisUrl);
    log.info({ redis: maskUrl(options.redisUrl) }, 'using REDIS_URL');
    return { url: options.redisUrl, stop: async () => {} };
  }

  const dir = resolve(options.dataDir ?? '.runway', 'redis');
  mkdirSync(dir, { recursive: true });
  return withSpawnLock(dir, async () => {
    const running = await reuseRunning(dir, log);
    if (running) return running;
    const bin = await findOrInstall(options);
    return spawnLocal(bin, dir, options);
  });
}

/** PINGs the server behind REDIS_URL once, with a short timeout and no retries. */
async function checkReachable(url: string): Promise<void> {
  const client = probe(url);
  // The socket's own error (ECONNREFUSED, ENOTFOUND, WRONGPASS) says more than "Connection is closed".
  let socketError: Error | undefined;
  client.on('error', (err: Error) => (socketError = err));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    const reason = (socketError ?? (err as Error)).message.replace(/\.$/, '');
    throw new RedisSetupError(
      'REDIS_UNREACHABLE',
      `cannot reach Redis at ${maskUrl(url)} (REDIS_URL): ${reason}. ` +
        'Check that it is running and that REDIS_URL is right, or unset REDIS_URL to let Runway start its own.',
      { cause: err },
    );
  } finally {
    client.disconnect();
  }
}

function probe(url: string): Redis {
  const client = newRedis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    commandTimeout: 2000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    sentinelRetryStrategy: () => null,
  });
  client.on('error', () => {}); // reported by the awaited call instead
  return client;
}

/** A Redis a Runway process started for this data dir earlier, if it is still up. */
async function reuseRunning(dir: string, log: Logger): Promise<RedisHandle | null> {
  const state = readState(dir);
  if (!state) return null;
  if (!isAlive(state.redisPid) || !(await servesDir(state.port, dir))) {
    removeState(dir, state.redisPid);
    return null;
  }
  const url = `redis://127.0.0.1:${state.port}`;
  if (state.ownerPid === process.pid || isAlive(state.ownerPid)) {
    log.info({ redis: url, pid: state.redisPid }, 'sharing the Redis another Runway process started');
    return { url, stop: async () => {} };
  }
  // Its owner died without stopping it: adopt it, so someone still stops it on the way out.
  writeState(dir, { ...state, ownerPid: process.pid });
  log.info({ redis: url, pid: state.redisPid }, 'reusing the Redis a previous Runway process left running');
  return { url, stop: () => stopPid(state.redisPid, dir) };
}

/** True when the server on `port` is the one keeping its data in `dir` (and not some other process). */
async function servesDir(port: number, dir: string): Promise<boolean> {
  const client = probe(`redis://127.0.0.1:${port}`);
  try {
    await client.connect();
    const reply = (await client.config('GET', 'dir')) as string[];
    return reply[1] !== undefined && realpathSync(reply[1]) === realpathSync(dir);
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function findOrInstall(options: EnsureRedisOptions): Promise<string> {
  const which = options.which ?? createWhich();
  const found = await which('redis-server');
  if (found) return found;
  if ((options.isRoot ?? isRoot)() && (options.isDebian ?? isDebianLike)()) {
    options.log.warn(
      'redis-server is not installed; installing it with apt-get (running as root on Debian/Ubuntu)',
    );
    await (options.installer ?? aptInstallRedis)(options.log);
    const installed = await which('redis-server');
    if (installed) return installed;
  }
  throw new RedisNotFoundError();
}

async function spawnLocal(bin: string, dir: string, options: EnsureRedisOptions): Promise<RedisHandle> {
  const logFile = join(dir, 'redis.log');
  // prettier-ignore
  const args = [
    '--dir', dir,
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
    '--logfile', logFile,
  ];
  let lastError: unknown;
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
    const port = await pickPort(options.preferredPorts ?? DEFAULT_PORTS);
    try {
      const start = async () => {
        const started = await startRedisProcess({
          bin,
          port,
          args,
          detached: true,
          startTimeoutMs: options.startTimeoutMs,
          readLog: () => tail(logFile),
        });
        // Not tied to our event loop: a one-shot command (audit export) may exit and leave it for the next.
        started.unref();
        writeState(dir, { redisPid: started.pid ?? 0, port, ownerPid: process.pid });
        return started;
      };
      let child = await start();
      let stopping = false;
      const url = `redis://127.0.0.1:${port}`;
      options.log.info({ redis: url, dir, pid: child.pid }, 'started a private redis-server');
      const watch = (): void => {
        child.once('exit', (code, signal) => {
          if (stopping) return;
          options.log.error(
            { redis: url, code, signal },
            'the private redis-server exited; starting it again (its append-only file keeps the data)',
          );
          const again = (): void => {
            start().then(
              (restarted) => {
                child = restarted;
                options.log.info({ redis: url, pid: restarted.pid }, 'private redis-server running again');
                watch();
              },
              (err: unknown) => {
                options.log.error(
                  { err: err instanceof Error ? err.message : String(err) },
                  'could not restart the private redis-server; trying again',
                );
                setTimeout(again, 2000).unref();
              },
            );
          };
          setTimeout(again, 200).unref();
        });
      };
      return {
        url,
        spawned: child,
        stop: async () => {
          stopping = true;
          const pid = child.pid ?? 0;
          await stopRedisProcess(child);
          removeState(dir, pid);
        },
        keepRunning: watch,
      };
    } catch (err) {
      lastError = err;
      // Someone took the port between our check and the server's bind: try another.
      if (!(err instanceof RedisSetupError) || !/address already in use/i.test(err.message)) throw err;
    }
  }
  throw lastError;
}

async function stopPid(pid: number, dir: string): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  for (let waited = 0; isAlive(pid) && waited < 5000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
  }
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  removeState(dir, pid);
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

/** The URL without its passwords, for messages and logs. */
export const maskUrl = maskRedisUrl;
