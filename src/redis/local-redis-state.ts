// What a Runway-spawned Redis leaves in `.runway/redis/`: a state file naming its pid, its port and
// the Runway process that owns it, and a lock file held while one is being started, so two Runway
// processes sharing a data dir (an app and a worker) end up with one Redis, not two.
import {
  openSync,
  closeSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  renameSync,
} from 'node:fs';
import { join } from 'node:path';
import { RedisSetupError } from './errors.ts';

export interface LocalRedisState {
  redisPid: number;
  port: number;
  /** The Runway process that stops it; another may adopt it once that one is gone. */
  ownerPid: number;
}

const STATE_FILE = 'runway-redis.json';
const LOCK_FILE = 'spawn.lock';

export function statePath(dir: string): string {
  return join(dir, STATE_FILE);
}

export function readState(dir: string): LocalRedisState | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(statePath(dir), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { redisPid, port, ownerPid } = parsed as Record<string, unknown>;
    if (typeof redisPid !== 'number' || typeof port !== 'number' || typeof ownerPid !== 'number') return null;
    return { redisPid, port, ownerPid };
  } catch {
    return null;
  }
}

/** Written to a temporary file and renamed, so a reader never sees half a state. */
export function writeState(dir: string, state: LocalRedisState): void {
  const tmp = `${statePath(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, statePath(dir));
}

export function removeState(dir: string, redisPid: number): void {
  if (readState(dir)?.redisPid === redisPid) rmSync(statePath(dir), { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `fn` holding the spawn lock; a lock whose holder died is taken over. */
export async function withSpawnLock<T>(dir: string, fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const lock = join(dir, LOCK_FILE);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (lockIsStale(lock)) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new RedisSetupError(
        'REDIS_START_FAILED',
        `another Runway process has been starting Redis for ${timeoutMs / 1000}s (${lock}); if no Runway is running, delete that file`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

function lockIsStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (Number.isInteger(pid) && pid > 0) return !isAlive(pid);
    // No pid yet: its writer is between open and write, or died there.
    return Date.now() - statSync(lock).mtimeMs > 2000;
  } catch {
    return false;
  }
}
