// Real `runway` processes for crash and scale-out tests: spawned with the CLI, stopped with real signals.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function spawnWorker(env: Record<string, string>): WorkerProcess {
  return spawnRunway('worker', env);
}

/** A runbook written to a file of its own (in `dir`, or a new temporary folder), for RUNWAY_CONFIG. */
export function writeRunbookFile(yaml: string, dir = mkdtempSync(join(tmpdir(), 'runway-book-'))): string {
  const file = join(dir, 'runway.yml');
  writeFileSync(file, yaml);
  return file;
}

/** A `runway worker` process on that Redis and key prefix, reading the runbook file `config`. */
export function spawnWorkerOn(
  at: { redisUrl: string; prefix: string; config: string },
  env: Record<string, string> = {},
): WorkerProcess {
  return spawnWorker({ REDIS_URL: at.redisUrl, RUNWAY_PREFIX: at.prefix, RUNWAY_CONFIG: at.config, ...env });
}

/**
 * Any `runway <command>` as its own process, with only the environment given (plus PATH, HOME, and
 * PORT=0 unless given: test files run side by side, and two on the default port would collide).
 */
export function spawnRunway(
  command: string,
  env: Record<string, string>,
  /** The entry point: the sources through tsx, or the compiled build (`dist/src/main.js`). */
  entry = 'bin/runway.js',
): WorkerProcess {
  const child = spawn(process.execPath, [resolve(entry), command], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'warn',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return {
    child,
    output: () => out,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
