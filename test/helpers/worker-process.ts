// Real `runway` processes for crash and scale-out tests: spawned with the CLI, stopped with real signals.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function spawnWorker(env: Record<string, string>): WorkerProcess {
  return spawnRunway('worker', env);
}

/** Any `runway <command>` as its own process, with only the environment given (plus PATH, HOME). */
export function spawnRunway(command: string, env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [resolve('bin/runway.js'), command], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
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
