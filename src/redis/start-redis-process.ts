// Starts a redis-server process and waits until it answers PING, or says why it could not (the
// process's last output: a taken port, a bad option, an unwritable dir).
import { spawn, type ChildProcess } from 'node:child_process';
import { RedisSetupError } from './errors.ts';
import { pingTcp } from './ping.ts';

export interface StartRedisProcessOptions {
  bin: string;
  port: number;
  /** Every option but --port and --bind, which this sets. */
  args: string[];
  /** Own process group: a Ctrl+C meant for Runway must not kill Redis before Runway has shut down. */
  detached?: boolean;
  startTimeoutMs?: number;
  /** Reads the server's --logfile, for its last words when it dies; without it, its output is piped and kept. */
  readLog?: () => string;
}

const POLL_MS = 25;
const TAIL_CHARS = 2000;

export async function startRedisProcess(options: StartRedisProcessOptions): Promise<ChildProcess> {
  const { bin, port, detached = false, startTimeoutMs = 10_000 } = options;
  const args = ['--port', String(port), '--bind', '127.0.0.1', ...options.args];
  // With a log file there is nothing to read, and no pipe may tie a server meant to outlive us to us.
  const child = spawn(bin, args, {
    detached,
    stdio: options.readLog ? 'ignore' : ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let exited: string | null = null;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? code}`));
  let spawnError: Error | null = null;
  child.once('error', (err) => (spawnError = err));

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (spawnError || exited) {
      const lastWords = (options.readLog?.() ?? '') || output;
      throw new RedisSetupError(
        'REDIS_START_FAILED',
        `redis-server on port ${port} ${exited ?? `failed to start: ${(spawnError as Error | null)?.message}`}${lastWords ? `:\n${lastWords.trim()}` : ''}`,
        { cause: spawnError ?? undefined },
      );
    }
    if (await pingTcp('127.0.0.1', port, 200)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new RedisSetupError(
        'REDIS_START_FAILED',
        `redis-server on port ${port} did not answer PING within ${startTimeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  // Once it is up, its output is of no more use to us; stop buffering so the pipes cannot fill.
  child.stdout?.off('data', keep).resume();
  child.stderr?.off('data', keep).resume();
  return child;
}

/** Asks a server to shut down (SIGTERM: Redis flushes its AOF first) and waits; SIGKILL after `graceMs`. */
export async function stopRedisProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
