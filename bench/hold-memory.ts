// One worker process holding 1,000 active releases in a canary hold, each gate sampled every second
// against a local Prometheus stand-in: the worker's RSS and CPU share (aims: < 200 MB, < 50% of a core).
//
//   node bin/run-ts.js bench/hold-memory.ts [--releases 1000] [--seconds 30]
//
// Beside the worker, in the same window, a bare sampler (bench/bare-sampler.ts, its own process)
// samples as many pretend releases every second with the same HTTP client: --bare 0 leaves it out;
// --bare-persist 1 has it read and save each sample's state in a Redis of its own as well;
// --bare-persist 2 has it keep only its schedule there (a due set claimed in batches, no state).
//
// Diagnostics: --timer-concurrency N, --notify-concurrency N, --sampler-batch N, --skip-notify 1
// (notifications not delivered) run bench/worker.ts instead of bin/runway.js; --profile 1 adds
// --cpu-prof to the worker; --heap-mb N gives it --max-old-space-size=N (a pod's limit sets it).
//
// The worker under test is its own process (`node bin/runway.js worker`), so /proc shows its RSS and
// CPU alone. This process starts the releases through an engine without workers, serves the
// Prometheus API and the deploy endpoint, and watches.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Release } from '../src/release/types.ts';
import { createRuntime, type Runtime, type WorkerTuning } from '../src/runtime.ts';
import { uniquePrefix } from '../test/helpers/redis.ts';
import {
  benchLogger,
  CpuMeter,
  cpuSeconds,
  fmt,
  intFlags,
  isMain,
  machineCpuSeconds,
  onCleanup,
  onExit,
  ownCpuSeconds,
  benchRedis,
  benchRunbook,
  rssMb,
  runBench,
  SchedMeter,
  sendJson,
  sleep,
  startLocalServer,
  table,
  trackChild,
} from './lib.ts';
import { summarizeProfile } from './profile.ts';
import {
  freePort,
  histogramQuantile,
  scrapeLateness,
  startBareSampler,
  type BareReport,
} from './hold-sampling.ts';

export interface HoldOptions {
  releases: number;
  /** Length of the measured window. */
  seconds: number;
  /** Diagnostics: when set (> 0), the worker is bench/worker.ts with this WorkerTuning instead of bin/runway.js. */
  'timer-concurrency': number;
  'notify-concurrency': number;
  /** Diagnostic: the gate sampler's batch (samples claimed and sampled at once per tick). */
  'sampler-batch': number;
  /** Diagnostic: 1 = the worker (bench/worker.ts) does not deliver notifications. */
  'skip-notify': number;
  /** Diagnostic: 1 = run the worker with --cpu-prof and print where its CPU went (whole life of the worker). */
  profile: number;
  /** 1 (default) = run the bare sampler beside the worker; 0 = not. */
  bare: number;
  /**
   * 1 = the bare sampler also reads and writes each sample's state in a Redis of its own (the floor
   * of a persisted sampler); 2 = it keeps only its schedule there, claimed in batches (the floor of
   * "every wait is in Redis").
   */
  'bare-persist': number;
  /**
   * The worker's old-space limit in MB (--max-old-space-size), 0 = Node's default. Node sizes it from
   * the memory it may use: a pod with a 512Mi limit gets about 128 MB; this machine's default is GBs.
   */
  'heap-mb': number;
  /** 1 = the worker runs the compiled build, dist/src/main.js, as the image does (run `npm run build` first). */
  compiled: number;
}

export const HOLD_DEFAULTS: HoldOptions = {
  releases: 1000,
  seconds: 30,
  'timer-concurrency': 0,
  'notify-concurrency': 0,
  'sampler-batch': 0,
  'skip-notify': 0,
  profile: 0,
  bare: 1,
  'bare-persist': 0,
  'heap-mb': 0,
  compiled: 0,
};

const SETTLE_MS = 10_000;
const START_CONCURRENCY = 50;
const READY_TIMEOUT_MS = 5 * 60_000;
const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const GATE = 'error_rate';

const serviceName = (i: number): string => `svc${String(i + 1).padStart(4, '0')}`;

/** 1,000 services sharing `defaults`: one lock each (the lock is per service and environment). */
export function holdRunbook(serverUrl: string, services: number): string {
  const names = Array.from({ length: services }, (_, i) => `  ${serviceName(i)}: {}`).join('\n');
  // The query names the service so the stand-in can tell whose sample each request is.
  return `
version: 1
defaults:
  environment: production
  approvals: { required: 0 }
  actions:
    deploy: { http: { url: "${serverUrl}/deploy" } }
    rollback: { http: { url: "${serverUrl}/rollback" } }
  gates:
    ${GATE}:
      prometheus: { url: "${serverUrl}", query: 'sum(rate(http_errors{service="{{service}}"}[1m]))' }
      max: 0.05
      every: 1s
  stages:
    - deploy
    - { traffic: 10, hold: 10m, gates: [${GATE}] }
services:
${names}
`;
}

/** The Prometheus stand-in: a one-sample vector with a low error rate; it notes who asked when. */
async function startPrometheus() {
  let watching = false;
  const last = new Map<string, number>();
  const intervals: number[] = [];
  const bareIntervals: number[] = [];
  let runwayQueries = 0;
  const server = await startLocalServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/v1/query') return sendJson(res, 200, '{"ok":true}'); // deploy, rollback
    const service = /service="([^"]+)"/.exec(url.searchParams.get('query') ?? '')?.[1] ?? '?';
    const now = performance.now();
    if (!service.startsWith('bare')) runwayQueries += 1;
    if (watching) {
      const previous = last.get(service);
      if (previous !== undefined)
        (service.startsWith('bare') ? bareIntervals : intervals).push(now - previous);
    }
    last.set(service, now);
    const body = `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[${Date.now() / 1000},"0.001"]}]}}`;
    sendJson(res, 200, body);
  });
  return {
    server,
    /** From now on, time between two samples of the same release is recorded. */
    watch: () => {
      watching = true;
    },
    stop: () => {
      watching = false;
    },
    intervals,
    bareIntervals,
    /** Queries from Runway's worker (not the bare sampler's). */
    queries: () => runwayQueries,
  };
}

/**
 * `node bin/runway.js worker` on our Redis and runbook (or bench/worker.ts when tuned); its output
 * is tallied, not printed.
 */
function spawnWorker(
  env: Record<string, string>,
  diagnostic: { tuning: WorkerTuning; skipNotify: boolean } | null,
  profileDir: string | null,
  heapMb: number,
  /** Run dist/src/main.js (as the image does; `npm run build` first) instead of the sources through tsx. */
  compiled: boolean,
): { child: ChildProcess; lines: Map<string, number> } {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith('SLACK_')),
  ) as Record<string, string>;
  const args = diagnostic
    ? [join(ROOT, 'bin/run-ts.js'), 'bench/worker.ts']
    : [join(ROOT, compiled ? 'dist/src/main.js' : 'bin/runway.js'), 'worker'];
  const extra = diagnostic
    ? {
        BENCH_TUNING: JSON.stringify(diagnostic.tuning),
        BENCH_SKIP_NOTIFY: diagnostic.skipNotify ? '1' : '0',
      }
    : {};
  const node = [
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
    ...(heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : []),
    // RUNWAY_BENCH_WORKER_FLAGS="--max-semi-space-size=32 …": V8 flags for the worker only (experiments).
    ...(process.env.RUNWAY_BENCH_WORKER_FLAGS ?? '').split(' ').filter(Boolean),
  ];
  const child = spawn(process.execPath, [...node, ...args], {
    cwd: ROOT,
    env: { ...clean, ...env, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  const lines = new Map<string, number>();
  const tally = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      let key = line.slice(0, 200);
      try {
        const entry = JSON.parse(line) as { msg?: unknown; err?: unknown };
        key = `${String(entry.msg)}${entry.err ? `: ${typeof entry.err === 'string' ? entry.err : JSON.stringify(entry.err)}` : ''}`;
        key = key.replace(/svc\d+-[\w-]+/g, '<release>');
      } catch {
        // not a log line: keep it as it is
      }
      lines.set(key, (lines.get(key) ?? 0) + 1);
    }
  };
  child.stdout?.on('data', tally);
  child.stderr?.on('data', tally);
  return { child, lines };
}

/** SIGTERM (the worker's graceful shutdown), SIGKILL if it is still there after `graceMs`. */
async function stopChild(child: ChildProcess, graceMs = 25_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Every active release, read in one pipeline. */
async function activeReleases(runtime: Runtime): Promise<Release[]> {
  return runtime.store.listActive();
}

/**
 * Commands redis-server has executed so far (INFO stats), scripts' inner calls included, and the
 * bytes it has read from clients (what a replica and an AOF carry grows with it).
 */
async function redisStats(
  runtime: Runtime,
): Promise<{ commands: number; inBytes: number; byCommand: Map<string, number> }> {
  const info = await runtime.redis.info('stats');
  const stat = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? NaN);
  // Calls per command (INFO commandstats), to tell the scripts' inner calls apart.
  const byCommand = new Map<string, number>();
  for (const m of (await runtime.redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    byCommand.set(m[1]!, Number(m[2]));
  return {
    commands: stat('total_commands_processed'),
    inBytes: stat('total_net_input_bytes'),
    byCommand,
  };
}

/** The commands run most in the window, per sample: "zadd 3.1, hget 2.0, …". */
function topCommands(before: Map<string, number>, after: Map<string, number>, samples: number): string {
  return [...after]
    .map(([name, calls]) => [name, (calls - (before.get(name) ?? 0)) / Math.max(1, samples)] as const)
    .filter(([, perSample]) => perSample >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, perSample]) => `${name} ${fmt(perSample, 2)}`)
    .join(', ');
}

const inHold = (r: Release): boolean =>
  r.state === 'running' && r.stageIndex === 1 && r.stages[1]?.phase === 'hold';
const samplesOf = (releases: Release[]): number =>
  releases.reduce((n, r) => n + (r.gates[GATE]?.samples ?? 0), 0);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface HoldResult {
  rssMaxMb: number;
  rssAvgMb: number;
  cpuShare: number;
  /** Worker CPU per applied sample: the figure that does not depend on how busy the machine was. */
  cpuMsPerSample: number;
  /** Share of the window the worker's event loop was runnable but had no core (other load). */
  waitingShare: number;
  samplesPerSecond: number;
}

export async function holdMemory(opts: HoldOptions): Promise<HoldResult> {
  const { log, summary } = benchLogger();
  const { redis, rpid } = await benchRedis();
  const prometheus = await startPrometheus();

  const yaml = holdRunbook(prometheus.server.url, opts.releases);
  const book = benchRunbook(yaml);
  const dir = mkdtempSync(join(tmpdir(), 'runway-bench-'));
  onExit(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'runway.yml');
  writeFileSync(config, yaml);

  const prefix = uniquePrefix();
  const tuning: WorkerTuning = {
    ...(opts['timer-concurrency'] > 0 ? { timerConcurrency: opts['timer-concurrency'] } : {}),
    ...(opts['notify-concurrency'] > 0 ? { notifyConcurrency: opts['notify-concurrency'] } : {}),
    ...(opts['sampler-batch'] > 0 ? { sampler: { batch: opts['sampler-batch'] } } : {}),
  };
  const skipNotify = opts['skip-notify'] > 0;
  const diagnostic = Object.keys(tuning).length > 0 || skipNotify ? { tuning, skipNotify } : null;
  const metricsPort = await freePort();
  const worker = spawnWorker(
    {
      REDIS_URL: redis.url,
      RUNWAY_PREFIX: prefix,
      RUNWAY_CONFIG: config,
      LOG_LEVEL: 'warn',
      PORT: String(metricsPort),
    },
    diagnostic,
    opts.profile > 0 ? join(dir, 'profile') : null,
    opts['heap-mb'],
    opts.compiled > 0,
  );
  onCleanup(() => stopChild(worker.child));
  const pid = worker.child.pid;
  if (pid === undefined) throw new Error('the worker did not start');
  let workerExit: string | null = null;
  worker.child.once('exit', (code, signal) => (workerExit = `worker exited with ${signal ?? code}`));
  const alive = () => {
    if (workerExit) throw new Error(`${workerExit}; its output: ${[...worker.lines.keys()].join(' | ')}`);
  };

  // This process only starts releases: no workers here, so every job runs in the worker under test.
  const runtime = createRuntime({ redisUrl: redis.url, prefix, runbook: () => book, log });
  onCleanup(() => runtime.close());

  // The worker's RSS with nothing to do, once its BullMQ workers are up: what the releases add is the rest.
  const ready0 = performance.now();
  while ((await runtime.queues.timers.getWorkersCount()) === 0) {
    alive();
    if (performance.now() - ready0 > 60_000) throw new Error('the worker did not connect within 60 s');
    await sleep(100);
  }
  await sleep(1000);
  const idleRss = rssMb(pid);

  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: START_CONCURRENCY }, async () => {
      while (next < opts.releases) {
        const service = serviceName(next++);
        const started = await runtime.engine.start({ service, version: 'v2.0.0', requester: 'UBENCH' });
        if (!started.ok) throw new Error(`${service}: ${started.reason}`);
      }
    }),
  );
  const startedIn = (performance.now() - t0) / 1000;
  process.stderr.write(
    `hold-memory: ${opts.releases} releases started in ${fmt(startedIn, 1)} s; waiting for the hold…\n`,
  );

  for (;;) {
    alive();
    const active = await activeReleases(runtime);
    const holding = active.filter(inHold).length;
    if (holding === opts.releases) break;
    const other = active
      .filter((r) => r.state !== 'running')
      .map((r) => `${r.service} ${r.state} (${r.rollback?.reason ?? r.outcome ?? 'no reason'})`);
    if (other.length > 0) throw new Error(`releases left the run: ${other.slice(0, 5).join('; ')}`);
    if (performance.now() - t0 > READY_TIMEOUT_MS)
      throw new Error(`only ${holding}/${opts.releases} in the hold`);
    await sleep(1000);
  }
  const holdIn = (performance.now() - t0) / 1000;
  process.stderr.write(
    `hold-memory: all ${opts.releases} in the hold after ${fmt(holdIn, 1)} s; settling ${SETTLE_MS / 1000} s, then measuring ${opts.seconds} s…\n`,
  );
  // The bare sampler warms up during the settling time, so both are steady when the window opens.
  const bareRedis = opts.bare > 0 && opts['bare-persist'] > 0 ? await benchRedis() : null;
  const bare =
    opts.bare > 0
      ? startBareSampler(
          ROOT,
          prometheus.server.url,
          opts.releases,
          bareRedis?.redis.url,
          opts['bare-persist'] === 2,
        )
      : null;
  if (bare) onCleanup(() => void bare.child.kill('SIGKILL'));
  await bare?.ready;
  await sleep(SETTLE_MS);
  // Starting thousands of releases queues their state-change notifications (cards, thread lines):
  // the window measures the hold, so it opens once that backlog is delivered.
  const drain0 = performance.now();
  while (((await runtime.queues.notify.getJobCounts('wait')).wait ?? 0) > 0) {
    alive();
    if (performance.now() - drain0 > READY_TIMEOUT_MS) throw new Error('the notify backlog did not drain');
    await sleep(500);
  }
  alive();

  // ---- the measured window ----
  // A /metrics scrape reads every active release and the audit log for its gauges: before the CPU
  // meters start (the one at the end comes after they stop), so the window holds only the hold.
  const lateness0 = await scrapeLateness(metricsPort);
  const samples0 = samplesOf(await activeReleases(runtime));
  const redis0 = await redisStats(runtime);
  const requests0 = prometheus.queries();
  const meters = {
    worker: new CpuMeter(() => cpuSeconds(pid)),
    workerMain: new CpuMeter(() => cpuSeconds(pid, pid)),
    workerSched: new SchedMeter(pid),
    redis: new CpuMeter(() => cpuSeconds(rpid)),
    bench: new CpuMeter(ownCpuSeconds),
    machine: new CpuMeter(machineCpuSeconds),
    ...(bare?.child.pid ? { bare: new CpuMeter(() => cpuSeconds(bare.child.pid!)) } : {}),
    ...(bareRedis ? { bareRedis: new CpuMeter(() => cpuSeconds(bareRedis.rpid)) } : {}),
  };
  const bare0: BareReport | null = bare ? await bare.report() : null;
  const w0 = performance.now();
  prometheus.watch();
  const rss: number[] = [];
  const redisRss: number[] = [];
  const queues = { timersWait: [] as number[], timersActive: [] as number[], notifyWait: [] as number[] };
  for (let s = 0; s < opts.seconds; s++) {
    alive();
    rss.push(rssMb(pid));
    redisRss.push(rssMb(rpid));
    // Due timer jobs no worker has taken yet (wait), and those running (active, at most 50).
    const t = await runtime.queues.timers.getJobCounts('wait', 'active');
    const n = await runtime.queues.notify.getJobCounts('wait');
    queues.timersWait.push(t.wait ?? 0);
    queues.timersActive.push(t.active ?? 0);
    queues.notifyWait.push(n.wait ?? 0);
    await sleep(Math.max(0, w0 + (s + 1) * 1000 - performance.now()));
  }
  const wall = (performance.now() - w0) / 1000;
  prometheus.stop();
  const cpu = {
    worker: meters.worker.share(),
    workerMain: meters.workerMain.share(),
    workerSched: meters.workerSched.shares(),
    redis: meters.redis.share(),
    bench: meters.bench.share(),
    machine: meters.machine.share(),
    bare: meters.bare?.share() ?? NaN,
    bareRedis: meters.bareRedis?.share() ?? 0,
  };
  const bare1: BareReport | null = bare ? await bare.report() : null;
  const lateness1 = await scrapeLateness(metricsPort);
  const requests = prometheus.queries() - requests0;
  const redis1 = await redisStats(runtime);
  const commands = redis1.commands - redis0.commands;
  const inBytes = redis1.inBytes - redis0.inBytes;
  const after = await activeReleases(runtime);
  const stillHolding = after.filter(inHold).length;

  // How late samples were taken: the sampler's histogram over the window when the worker has one
  // (the batch sampler), else processedOn − (queued + delay) of the newest completed gate jobs.
  const late = lateness0 && lateness1 ? { before: lateness0, after: lateness1 } : null;
  // Samples applied in the window: the sampler's histogram counts each one as it is applied. The
  // stored counts lag by up to a card window (steady readings are saved once a window), so they are
  // only the fallback of a worker without the histogram.
  const applied = late ? histogramQuantile(late.before, late.after, 0.5).count : samplesOf(after) - samples0;
  const done = late ? [] : await runtime.queues.timers.getJobs(['completed'], 0, 999);
  const jobLateness = done
    .filter((j) => j.name === 'gate' && j.processedOn !== undefined)
    .map((j) => j.processedOn! - (j.timestamp + (j.opts.delay ?? 0)));
  const latenessAt = (q: number): number =>
    late ? histogramQuantile(late.before, late.after, q).ms : percentile(jobLateness, q * 100);
  const latenessCount = late ? histogramQuantile(late.before, late.after, 0.5).count : jobLateness.length;
  // Taken within 250 ms of due (a bucket bound of the sampler's histogram).
  const onTime = late
    ? ((late.after.get(0.25) ?? 0) - (late.before.get(0.25) ?? 0)) / Math.max(1, latenessCount)
    : jobLateness.filter((ms) => ms <= 250).length / Math.max(1, jobLateness.length);
  const bareSamples = bare0 && bare1 ? bare1.samples - bare0.samples : 0;
  // With --bare-persist, the bare sampler's own redis-server counts as its cost, as Runway's does.
  const bareCpuMs = ((cpu.bare + cpu.bareRedis) * wall * 1000) / Math.max(1, bareSamples);
  const workerCpuMs = (cpu.worker * wall * 1000) / Math.max(1, applied);
  const redisCpuMs = (cpu.redis * wall * 1000) / Math.max(1, applied);

  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const pct = (x: number) => `${fmt(x * 100)}%`;
  const result: HoldResult = {
    rssMaxMb: Math.max(...rss),
    rssAvgMb: avg(rss),
    cpuShare: cpu.worker,
    cpuMsPerSample: workerCpuMs,
    waitingShare: cpu.workerSched.waiting,
    samplesPerSecond: requests / wall,
  };
  const iv = prometheus.intervals;
  console.log(
    `\nhold-memory: ${opts.releases} releases in a canary hold, gate every 1 s (asked: ${fmt(opts.releases)} samples/s), ` +
      `one worker process (${diagnostic ? `DIAGNOSTIC bench/worker.ts, tuning ${JSON.stringify(tuning)}${skipNotify ? ', notifications not delivered' : ''}` : `${opts.compiled > 0 ? 'dist/src/main.js' : 'bin/runway.js'} worker, default tuning`}), ` +
      `${opts['heap-mb'] > 0 ? `old space ${opts['heap-mb']} MB, ` : ''}${fmt(wall, 1)} s window, ${cpus().length} cores\n`,
  );
  console.log(
    table([
      [
        'worker RSS',
        `max ${fmt(result.rssMaxMb)} MB, avg ${fmt(result.rssAvgMb)} MB  (aim < 200 MB) ${result.rssMaxMb < 200 ? 'OK' : 'ABOVE AIM'}; ${fmt(rss[0] ?? NaN)} → ${fmt(rss.at(-1) ?? NaN)} MB over the window`,
      ],
      [
        'worker CPU',
        `${pct(cpu.worker)} of one core, event-loop thread ${pct(cpu.workerMain)}  (aim < 50%) ${cpu.worker < 0.5 ? 'OK' : 'ABOVE AIM'}`,
      ],
      [
        'event-loop thread',
        `on a CPU ${pct(cpu.workerSched.running)}, runnable but waiting for one ${pct(cpu.workerSched.waiting)}, idle ${pct(Math.max(0, 1 - cpu.workerSched.running - cpu.workerSched.waiting))}`,
      ],
      [
        'redis-server',
        `CPU ${pct(cpu.redis)}, RSS ${fmt(redisRss[0] ?? NaN)} → ${fmt(redisRss.at(-1) ?? NaN)} MB over the window`,
      ],
      ['bench process CPU', `${pct(cpu.bench)} (Prometheus stand-in, queue polling)`],
      [
        'whole machine CPU',
        `${pct(cpu.machine)} of one core (${cpus().length} cores = ${cpus().length * 100}%)`,
      ],
      [
        'gate samples',
        `${fmt(requests / wall)} /s fetched, ${fmt(applied / wall)} /s applied (asked ${fmt(opts.releases)} /s: ${pct(requests / wall / opts.releases)})`,
      ],
      [
        'CPU per sample',
        `worker ${fmt(workerCpuMs, 2)} ms, redis ${fmt(redisCpuMs, 2)} ms; ` +
          `${fmt(commands / Math.max(1, applied), 1)} Redis commands per sample (incl. those inside Lua scripts), ` +
          `${fmt(inBytes / Math.max(1, applied), 0)} bytes Redis read per sample (all clients)`,
      ],
      ['Redis per sample', topCommands(redis0.byCommand, redis1.byCommand, applied)],
      [
        'per release',
        `a sample every ${fmt(percentile(iv, 50))} ms (p50), ${fmt(percentile(iv, 95))} ms (p95), ${fmt(percentile(iv, 99))} ms (p99)`,
      ],
      [
        'gate lateness',
        `${fmt(latenessAt(0.5))} ms p50, ${fmt(latenessAt(0.95))} ms p95 (aim < 250 ms), ${fmt(latenessAt(0.99))} ms p99 after due; ${pct(onTime)} within 250 ms (aim ≥ 99%) (${late ? `sampler histogram, ${fmt(latenessCount)} samples in the window` : `last ${fmt(latenessCount)} gate jobs`})`,
      ],
      ...(bare1 && bare0
        ? ([
            [
              'bare sampler',
              `${bareRedis ? (opts['bare-persist'] === 2 ? 'with only its schedule in Redis (batched claims and re-arms), ' : 'with its state in Redis (read + save per sample), ') : ''}${fmt(bareSamples / wall)} /s (asked ${fmt(opts.releases)} /s), CPU ${pct(cpu.bare)}${bareRedis ? ` + its redis ${pct(cpu.bareRedis)}` : ''} of one core = ${fmt(bareCpuMs, 2)} ms per sample; ` +
                `lateness ${fmt(percentile(bare1.lateness, 50))} ms p50, ${fmt(percentile(bare1.lateness, 95))} ms p95; ${fmt(bare1.errors - bare0.errors)} errors`,
            ],
            [
              'Runway vs bare',
              `${fmt((workerCpuMs + redisCpuMs) / bareCpuMs, 2)}× the bare sampler's CPU per sample (worker + redis vs bare; aim ≤ 1.5×); ` +
                `bare: a sample every ${fmt(percentile(prometheus.bareIntervals, 50))} ms p50, ${fmt(percentile(prometheus.bareIntervals, 95))} ms p95`,
            ],
          ] as [string, string][])
        : []),
      [
        'timers queue',
        `due-not-taken avg ${fmt(avg(queues.timersWait))} (max ${fmt(Math.max(...queues.timersWait))}), active avg ${fmt(avg(queues.timersActive), 1)} of ${tuning.timerConcurrency ?? 50}`,
      ],
      [
        'notify queue',
        `waiting avg ${fmt(avg(queues.notifyWait))} (max ${fmt(Math.max(...queues.notifyWait))}), ` +
          `backlog change ${fmt(((queues.notifyWait.at(-1) ?? 0) - (queues.notifyWait[0] ?? 0)) / wall)} /s`,
      ],
      ['still in the hold', `${fmt(stillHolding)} / ${fmt(opts.releases)}`],
      ['worker RSS idle', `${fmt(idleRss)} MB before any release (workers connected, runbook loaded)`],
      ['setup', `${fmt(startedIn, 1)} s to start, ${fmt(holdIn, 1)} s until all held`],
    ]),
  );
  const logged = [...worker.lines].map(([k, n]) => `${fmt(n)} × ${k}`);
  if (logged.length > 0) console.log(`\n  Worker output:\n${logged.map((l) => `    ${l}`).join('\n')}`);
  if (opts.profile > 0) {
    // The profile is written when the worker exits: stop it now (the cleanup will find it gone).
    await stopChild(worker.child);
    const file = readdirSync(join(dir, 'profile')).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the worker wrote no CPU profile');
    // RUNWAY_BENCH_PROFILE_COPY=<path>: keep the raw profile (for a flame graph) past the cleanup.
    const keep = process.env.RUNWAY_BENCH_PROFILE_COPY;
    if (keep) copyFileSync(join(dir, 'profile', file), keep);
    // The window and the shutdown after it, not the start-up (module loading, the releases starting).
    const p = summarizeProfile(join(dir, 'profile', file), 25, undefined, opts.seconds + 3);
    const list = (xs: [string, number][]) =>
      xs.map(([k, v]) => `    ${fmt(v * 100, 1).padStart(5)}%  ${k}`).join('\n');
    console.log(
      `\n  Worker CPU profile (the last ${fmt(p.seconds, 1)} s of its life: the window and its shutdown; idle ${fmt(p.idle * 100)}%; shares of busy time):\n` +
        `${list(p.byArea)}\n\n  Top functions (self time):\n${list(p.byFunction)}\n\n` +
        `  Steps (with what they call):\n${list(p.inclusive)}`,
    );
  }
  const own = summary();
  if (own.length > 0) console.log(`\n  Logged here:\n${own.map((l) => `    ${l}`).join('\n')}`);
  return result;
}

if (isMain(import.meta.url)) {
  await runBench(async () => {
    await holdMemory(intFlags(process.argv.slice(2), { ...HOLD_DEFAULTS }));
  });
}
