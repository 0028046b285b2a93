// Shared bits of the benchmarks: flags, cleanup that also runs on Ctrl-C, a local HTTP server,
// /proc readings of another process, and a logger that stays out of the printed tables.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../src/log.ts';
import type { Notifier } from '../src/engine/notifier.ts';
import { loadRunbook } from '../src/config/runbook.ts';
import { RunbookContext } from '../src/engine/runbook-context.ts';
import { startRedis, type TestRedis } from '../test/helpers/redis.ts';

// ---- flags ---------------------------------------------------------------------------------

/** Integer flags like `--releases 20` (0 turns a diagnostic off); anything else is an error (a typo must not run a 60 s bench). */
export function intFlags<K extends string>(argv: string[], defaults: Record<K, number>): Record<K, number> {
  const options = Object.fromEntries(Object.keys(defaults).map((k) => [k, { type: 'string' as const }]));
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  const out = { ...defaults };
  for (const key of Object.keys(defaults) as K[]) {
    const raw = (values as Record<string, string | undefined>)[key];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${key} expects a whole number ≥ 0, got "${raw}"`);
    out[key] = n;
  }
  return out;
}

/** True when this module is the file given to bin/run-ts.js (not imported by bench/index.ts). */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && resolve(script) === fileURLToPath(moduleUrl);
}

// ---- cleanup -------------------------------------------------------------------------------

type Cleanup = () => Promise<void> | void;
const cleanups: Cleanup[] = [];
const children = new Set<ChildProcess>();

/** Registers a cleanup; they run last-in first-out, on success, on error and on Ctrl-C. */
export function onCleanup(fn: Cleanup): void {
  cleanups.push(fn);
}

export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (error) {
      console.error('cleanup failed:', error instanceof Error ? error.message : error);
    }
  }
}

/** A child we spawned: SIGKILLed on exit if a cleanup did not stop it first. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

const exitHooks: (() => void)[] = [];
/** Synchronous work that must happen even on Ctrl-C (removing a temp dir). */
export function onExit(fn: () => void): void {
  exitHooks.push(fn);
}

let installed = false;
/**
 * Runs `main`, then the cleanups (graceful: close workers, stop the worker process, stop Redis).
 * On SIGINT/SIGTERM there is no graceful path: test/helpers/redis.ts's own handler has already
 * SIGKILLed redis-server, so a graceful close would hang. We exit at once, and the 'exit' hooks
 * SIGKILL our children (redis.ts does the same for its servers and removes their dirs).
 */
export async function runBench(main: () => Promise<void>): Promise<void> {
  if (!installed) {
    installed = true;
    process.on('exit', () => {
      for (const child of children) child.kill('SIGKILL');
      for (const fn of exitHooks) {
        try {
          fn();
        } catch {
          // exiting anyway
        }
      }
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        console.error(`\n${signal}: stopping everything we started`);
        process.exit(130);
      });
    }
  }
  try {
    await main();
  } finally {
    await runCleanups();
  }
}

// ---- a local HTTP server -------------------------------------------------------------------

export interface LocalServer {
  url: string;
  /** Requests answered so far. */
  count(): number;
  close(): Promise<void>;
}

export async function startLocalServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LocalServer> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    handler(req, res);
  });
  // Node's default keep-alive timeout (5 s) is fine; axios reuses sockets through the global agent.
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const local: LocalServer = {
    url: `http://127.0.0.1:${port}`,
    count: () => requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
  onCleanup(local.close);
  return local;
}

export function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

// ---- another process's CPU and memory, from /proc ------------------------------------------

let ticks: number | undefined;
/** Clock ticks per second (utime/stime unit), from `getconf CLK_TCK`; 100 on Linux in practice. */
export function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** utime + stime of a process (all its threads), in seconds; with `tid`, of that one thread. */
export function cpuSeconds(pid: number, tid?: number): number {
  const stat = readFileSync(
    tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`,
    'utf8',
  );
  // The command name (field 2) may hold spaces; the fields after its closing paren are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (field 14) is fields[11] and stime (15) is fields[12].
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

/** Resident set size in MB, from VmRSS. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) / 1024;
}

/** CPU share of one core between two readings: 1.0 is one core busy the whole time. */
export class CpuMeter {
  private readonly cpu0: number;
  private readonly t0 = performance.now();
  constructor(private readonly read: () => number) {
    this.cpu0 = read();
  }
  share(): number {
    return (this.read() - this.cpu0) / ((performance.now() - this.t0) / 1000);
  }
}

/**
 * A thread's time on a CPU and time runnable but waiting for one (run-queue delay), in seconds, from
 * /proc/<pid>/task/<tid>/schedstat. Running + waiting near 100% of the wall time means the thread
 * always had work: it is CPU-bound (and, when waiting is high, other processes took its core).
 */
export function schedSeconds(pid: number, tid = pid): { running: number; waiting: number } {
  const [running = 0, waiting = 0] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8')
    .trim()
    .split(' ')
    .map(Number);
  return { running: running / 1e9, waiting: waiting / 1e9 };
}

export class SchedMeter {
  private readonly s0: { running: number; waiting: number };
  private readonly t0 = performance.now();
  constructor(
    private readonly pid: number,
    private readonly tid = pid,
  ) {
    this.s0 = schedSeconds(pid, tid);
  }
  /** Shares of the wall time since construction: on a CPU, and runnable but not on one. */
  shares(): { running: number; waiting: number } {
    const s = schedSeconds(this.pid, this.tid);
    const wall = (performance.now() - this.t0) / 1000;
    return { running: (s.running - this.s0.running) / wall, waiting: (s.waiting - this.s0.waiting) / wall };
  }
}

/** CPU seconds used by the whole machine (all cores, every process), from /proc/stat. */
export function machineCpuSeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu  user nice system idle iowait irq softirq steal …: busy is everything but idle and iowait.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) / clockTicks();
}

/** This process's own CPU seconds (user + system), all threads. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** redis-server's pid (test/helpers/redis.ts does not expose it): INFO server says. */
export async function redisPid(url: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const info = await client.info('server');
    const pid = /^process_id:(\d+)/m.exec(info)?.[1];
    if (!pid) throw new Error('INFO server has no process_id');
    return Number(pid);
  } finally {
    client.disconnect();
  }
}

/** A redis-server of the bench's own, stopped at cleanup, with its pid to meter it by. */
export async function benchRedis(): Promise<{ redis: TestRedis; rpid: number }> {
  const redis = await startRedis();
  onCleanup(() => redis.stop());
  return { redis, rpid: await redisPid(redis.url) };
}

/** A bench's runbook, loaded; an invalid one stops the bench, saying why. */
export function benchRunbook(yaml: string): RunbookContext {
  const loaded = loadRunbook(yaml, {});
  if (!loaded.ok) throw new Error(`bench runbook is invalid:\n${loaded.problems.join('\n')}`);
  return new RunbookContext(loaded.runbook, loaded.secrets);
}

// ---- counting Redis commands ---------------------------------------------------------------

let sent = 0;
const byName = new Map<string, number>();
let counting = false;
/**
 * Counts every command any ioredis client of this process sends (BullMQ's included; a pipeline
 * counts each command), so a run can say how many Redis commands one job costs. Bench-only patch.
 */
export function countRedisCommands(): { total(): number; byName(): Map<string, number> } {
  if (!counting) {
    counting = true;
    const original = Redis.prototype.sendCommand;
    Redis.prototype.sendCommand = function (this: Redis, ...args: Parameters<Redis['sendCommand']>) {
      sent += 1;
      const name = args[0].name;
      byName.set(name, (byName.get(name) ?? 0) + 1);
      return original.apply(this, args);
    };
  }
  const start = sent;
  const startBy = new Map(byName);
  return {
    total: () => sent - start,
    byName: () =>
      new Map([...byName].map(([k, v]) => [k, v - (startBy.get(k) ?? 0)] as const).filter(([, v]) => v > 0)),
  };
}

// ---- logging and notifying -----------------------------------------------------------------

export interface BenchLog {
  log: Logger;
  /** Warnings and errors logged so far, grouped by message: "12 × job failed: notifications of…". */
  summary(): string[];
}

/**
 * Warnings and errors are tallied, not printed: a retried job logs one line per retry, which would
 * bury the table. The tally is printed after it.
 */
export function benchLogger(level = 'warn'): BenchLog {
  const tally = new Map<string, number>();
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        let key = line;
        try {
          const entry = JSON.parse(line) as { msg?: unknown; err?: unknown };
          const err = typeof entry.err === 'string' ? entry.err : JSON.stringify(entry.err ?? '');
          // Release ids differ per line; group by the words around them.
          key = `${String(entry.msg)}: ${err.replace(/svc\w*-[\w-]+/g, '<release>')}`;
        } catch {
          // not JSON: keep the line as it is
        }
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
      done();
    },
  });
  return {
    log: createLogger({ level, destination }),
    summary: () => [...tally].map(([k, n]) => `${fmt(n)} × ${k}`),
  };
}

/** Slack is not under test: notifications are drained (the notify jobs still run) and dropped. */
export class DropNotifier implements Notifier {
  delivered = 0;
  async deliver(): Promise<void> {
    this.delivered += 1;
  }
}

// ---- output --------------------------------------------------------------------------------

export function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
