// Run an argv in its own process group, never through a shell, and stop the WHOLE group on timeout
// or abort: a deploy script's children (kubectl, ssh, sleep) must not outlive a rollback.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface RunProcessOptions {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL to the group. */
  killGraceMs?: number;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
}

export type ProcessOutcome =
  | { kind: 'exited'; exitCode: number | null; signal: NodeJS.Signals | null; durationMs: number }
  | { kind: 'timed_out'; durationMs: number }
  | { kind: 'cancelled'; durationMs: number }
  | { kind: 'spawn_failed'; reason: string; durationMs: number };

export const DEFAULT_KILL_GRACE_MS = 5000;
/** After the leader exits, how long a background grandchild may hold stdout open before we stop reading. */
const DRAIN_AFTER_EXIT_MS = 1000;
const GROUP_POLL_MS = 50;

export async function runProcess(options: RunProcessOptions): Promise<ProcessOutcome> {
  const started = Date.now();
  const elapsed = (): number => Date.now() - started;
  const [program, ...args] = options.argv;
  if (!program) return { kind: 'spawn_failed', reason: 'empty command', durationMs: 0 };
  if (options.signal?.aborted) return { kind: 'cancelled', durationMs: 0 };
  if (options.cwd !== undefined) {
    const isDir = await stat(options.cwd).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir)
      return {
        kind: 'spawn_failed',
        reason: `working directory not found: ${options.cwd}`,
        durationMs: elapsed(),
      };
  }

  let child: ChildProcessByStdio<null, Readable, Readable>;
  try {
    child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true, // its own process group, so -pid reaches every descendant
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // Bad arguments (a NUL byte in argv) throw instead of emitting 'error'.
    return {
      kind: 'spawn_failed',
      reason: `could not start ${program}: ${(error as Error).message}`,
      durationMs: elapsed(),
    };
  }

  return new Promise<ProcessOutcome>((resolve) => {
    let stopping: 'timed_out' | 'cancelled' | null = null;
    let settled = false;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let groupGone: Promise<void> = Promise.resolve();
    let drainTimer: NodeJS.Timeout | undefined;

    const finish = (outcome: ProcessOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeoutTimer);
      clearTimeout(drainTimer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };

    const stop = (why: 'timed_out' | 'cancelled'): void => {
      // Once the leader has exited the command is over; its leftover daemons are not ours to stop.
      if (stopping || settled || exited || child.pid === undefined) return;
      stopping = why;
      groupGone = killGroup(child.pid, options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
      void groupGone.then(maybeFinish);
    };

    const maybeFinish = (): void => {
      if (!exited) return;
      if (stopping) {
        // Report only once the whole group is gone (or was sent SIGKILL).
        void groupGone.then(() => finish({ kind: stopping!, durationMs: elapsed() }));
        return;
      }
      finish({ kind: 'exited', exitCode: exited.code, signal: exited.signal, durationMs: elapsed() });
    };

    const timeoutTimer = setTimeout(() => stop('timed_out'), options.timeoutMs);
    const onAbort = (): void => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => options.onStdout?.(chunk));
    child.stderr.on('data', (chunk: Buffer) => options.onStderr?.(chunk));

    child.on('error', (error: NodeJS.ErrnoException) => {
      // A failed spawn has no pid and no 'exit'; other errors after a start change nothing here.
      if (child.pid !== undefined || exited !== null) return;
      finish({
        kind: 'spawn_failed',
        reason: spawnFailure(program, error, options.cwd),
        durationMs: elapsed(),
      });
    });

    child.on('exit', (code, signal) => {
      exited = { code, signal };
      // A daemon started by the script can hold the pipes open forever; do not wait for it.
      drainTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        maybeFinish();
      }, DRAIN_AFTER_EXIT_MS);
    });
    child.on('close', () => maybeFinish());
  });
}

function spawnFailure(program: string, error: NodeJS.ErrnoException, cwd: string | undefined): string {
  if (error.code === 'ENOENT') {
    // execve says ENOENT both for a missing file and for a script whose #! interpreter is missing.
    const exists = program.includes('/') && existsSync(path.resolve(cwd ?? '.', program));
    return exists
      ? `cannot run ${program}: the interpreter on its #! line was not found`
      : `command not found: ${program}`;
  }
  if (error.code === 'EACCES') return `permission denied: ${program} (is it executable?)`;
  return `could not start ${program}: ${error.message}`;
}

/** SIGTERM the group, then SIGKILL it if anything in it is still alive after the grace period. */
export async function killGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, GROUP_POLL_MS));
    if (!(await groupAlive(pgid))) return;
  }
  signalGroup(pgid, 'SIGKILL');
}

/**
 * Whether any process of the group still runs. kill(-pgid, 0) also succeeds for zombies, which stay
 * until their new parent reaps them — forever when PID 1 is a process that does not (node in a
 * container) — so on Linux the group's members are read from /proc and zombies do not count.
 */
async function groupAlive(pgid: number): Promise<boolean> {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after "(comm)": state ppid pgrp …; comm may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
  }
  return false;
}

/** False when the group no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
