// Jobs per second of a no-op stage action through the engine, against a bare BullMQ worker doing the
// same no-op on the same Redis: the ratio engine / bare (aim: ≥ 0.5).
//
//   node bin/run-ts.js bench/jobs-throughput.ts [--releases 20] [--stages 25] [--rounds 5]
//
// The no-op is the runbook's `http` action (a GET to a node:http server in this process that answers
// 200 at once), run through the same runAction() on both sides: a `command: ["true"]` would measure
// process spawning, not the engine. So the only difference is the engine's work per step: load the
// release, decide, compare-and-set save with the outbox, dispatch the next step job, queue and drain
// the notifications.
import { Queue, Worker, type Job } from 'bullmq';
import { cpus } from 'node:os';
import type { Redis } from 'ioredis';
import type { ActionConfig } from '../src/config/schema.ts';
import { runAction } from '../src/actions/run-action.ts';
import { createRedis } from '../src/redis/connection.ts';
import { QUEUE, STEP_JOB_OPTIONS } from '../src/queue/queues.ts';
import { createRuntime, type Runtime } from '../src/runtime.ts';
import type { Logger } from '../src/log.ts';
import { uniquePrefix } from '../test/helpers/redis.ts';
import {
  benchLogger,
  countRedisCommands,
  CpuMeter,
  machineCpuSeconds,
  DropNotifier,
  fmt,
  intFlags,
  isMain,
  onCleanup,
  ownCpuSeconds,
  cpuSeconds,
  benchRedis,
  benchRunbook,
  runBench,
  SchedMeter,
  sendJson,
  startLocalServer,
  table,
} from './lib.ts';

export interface JobsOptions {
  releases: number;
  stages: number;
  /** Engine, bare chained and bare bulk run this many times, interleaved; medians are reported. */
  rounds: number;
}

export const JOBS_DEFAULTS: JobsOptions = { releases: 20, stages: 25, rounds: 5 };

/** The same knobs startWorkers() gives the steps worker, so the bare worker is no better placed. */
const CONCURRENCY = 50;
const TIMEOUT_MS = 5 * 60_000;

export function throughputRunbook(serverUrl: string, services: number, stages: number): string {
  const names = Array.from({ length: services }, (_, i) => `  svc${i + 1}: {}`).join('\n');
  return `
version: 1
defaults:
  environment: production
  approvals: { required: 0 }
  actions:
    noop: { http: { url: "${serverUrl}/noop" } }
    rollback: { http: { url: "${serverUrl}/rollback" } }
  stages:
${'    - { run: noop }\n'.repeat(stages)}services:
${names}
`;
}

interface Run {
  jobs: number;
  seconds: number;
}

const rate = (r: Run): number => r.jobs / r.seconds;

// ---- engine --------------------------------------------------------------------------------

/** K releases of N `run: noop` stages started at once; done when the last one is completed. */
let versions = 0;
async function engineRun(runtime: Runtime, steps: Worker, opts: JobsOptions, tag: string): Promise<Run> {
  const expected = opts.releases * opts.stages;
  let done = 0;
  let failed = 0;
  const finished = new Promise<void>((resolveDone, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`engine run ${tag}: ${done}/${expected} steps after ${TIMEOUT_MS} ms`)),
      TIMEOUT_MS,
    );
    const onCompleted = (_job: Job, result: unknown) => {
      if (typeof result === 'object' && result !== null && 'ok' in result && result.ok === true) done += 1;
      if (done === expected) {
        clearTimeout(timer);
        steps.off('completed', onCompleted);
        steps.off('failed', onFailed);
        resolveDone();
      }
    };
    const onFailed = () => {
      failed += 1;
    };
    steps.on('completed', onCompleted);
    steps.on('failed', onFailed);
  });

  versions += 1;
  const t0 = performance.now();
  const started = await Promise.all(
    Array.from({ length: opts.releases }, (_, i) =>
      runtime.engine.start({
        service: `svc${i + 1}`,
        version: `v1.0.${versions}`,
        requester: 'UBENCH',
      }),
    ),
  );
  for (const s of started) if (!s.ok) throw new Error(`engine.start refused: ${s.reason}`);
  await finished;
  const seconds = (performance.now() - t0) / 1000;

  // Every release must really have completed, or the figure means nothing.
  for (const s of started) {
    const release = s.ok ? await runtime.store.get(s.release.id) : null;
    if (release?.state !== 'completed')
      throw new Error(`release ${s.ok ? s.release.id : '?'} is ${release?.state}, not completed`);
  }
  if (failed > 0) throw new Error(`${failed} step jobs failed during the engine run`);
  return { jobs: expected, seconds };
}

/** Notifications are drained by their own worker: how long after a run does its backlog empty? */
async function notifyDrained(runtime: Runtime, since: number): Promise<number> {
  for (;;) {
    const counts = await runtime.queues.notify.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).every((n) => n === 0)) return performance.now() - since;
    await new Promise((r) => setTimeout(r, 20));
  }
}

// ---- bare BullMQ ---------------------------------------------------------------------------

interface Bare {
  queue: Queue;
  worker: Worker;
  /** Resolves when `n` more jobs have completed. */
  completions(n: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A plain Queue + Worker with the steps worker's options and job options, each job running the same
 * http action. With `chain`, a job enqueues the next of its chain before it returns, as a step job's
 * engine.apply() does.
 */
function bareWorker(
  redisUrl: string,
  prefix: string,
  name: string,
  action: ActionConfig,
  log: Logger,
  chainLength: number | null,
): Bare {
  const connection: Redis = createRedis(redisUrl, { forWorker: true });
  const workerConnection: Redis = createRedis(redisUrl, { forWorker: true });
  const queue = new Queue(name, { connection, prefix });
  const worker = new Worker(
    name,
    async (job: Job<{ tag: string; chain: number; n: number }>) => {
      const { tag, chain, n } = job.data;
      const controller = new AbortController();
      const result = await runAction(action, {
        vars: {},
        idempotencyKey: String(job.id),
        signal: controller.signal,
        log,
      });
      if (!result.ok) throw new Error(result.summary);
      if (chainLength !== null && n + 1 < chainLength) {
        await queue.add(
          'noop',
          { tag, chain, n: n + 1 },
          { ...STEP_JOB_OPTIONS, jobId: `${tag}-c${chain}-n${n + 1}` },
        );
      }
      return { ok: true };
    },
    {
      connection: workerConnection,
      prefix,
      concurrency: CONCURRENCY,
      lockDuration: 15_000,
      stalledInterval: 5_000,
      maxStalledCount: 100,
      autorun: chainLength !== null, // the bulk run starts the worker only once every job is queued
    },
  );
  worker.on('error', (err) => log.error({ err }, 'bare worker error'));
  let completed = 0;
  const waiters: { at: number; resolve: () => void }[] = [];
  worker.on('completed', () => {
    completed += 1;
    for (const w of waiters.splice(0)) {
      if (completed >= w.at) w.resolve();
      else waiters.push(w);
    }
  });
  let failed = 0;
  worker.on('failed', () => (failed += 1));
  return {
    queue,
    worker,
    completions: (n) =>
      new Promise<void>((resolveDone, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`bare ${name}: timed out (${failed} failed)`)),
          TIMEOUT_MS,
        );
        waiters.push({
          at: completed + n,
          resolve: () => {
            clearTimeout(timer);
            if (failed > 0) reject(new Error(`bare ${name}: ${failed} jobs failed`));
            else resolveDone();
          },
        });
      }),
    close: async () => {
      await worker.close();
      await queue.close();
      connection.disconnect();
      workerConnection.disconnect();
    },
  };
}

async function bareChained(bare: Bare, opts: JobsOptions, tag: string): Promise<Run> {
  const expected = opts.releases * opts.stages;
  const done = bare.completions(expected);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: opts.releases }, (_, chain) =>
      bare.queue.add('noop', { tag, chain, n: 0 }, { ...STEP_JOB_OPTIONS, jobId: `${tag}-c${chain}-n0` }),
    ),
  );
  await done;
  return { jobs: expected, seconds: (performance.now() - t0) / 1000 };
}

/** A fresh worker per round: it starts only once every job is queued. */
async function bareBulk(bare: Bare, opts: JobsOptions, tag: string): Promise<Run> {
  const expected = opts.releases * opts.stages;
  const jobs = Array.from({ length: expected }, (_, i) => ({
    name: 'noop',
    data: { tag, chain: i, n: 0 },
    opts: { ...STEP_JOB_OPTIONS, jobId: `${tag}-bulk-${i}` },
  }));
  for (let i = 0; i < jobs.length; i += 1000) await bare.queue.addBulk(jobs.slice(i, i + 1000));
  const done = bare.completions(expected);
  const t0 = performance.now();
  void bare.worker.run();
  await done;
  return { jobs: expected, seconds: (performance.now() - t0) / 1000 };
}

// ---- the benchmark -------------------------------------------------------------------------

export interface JobsResult {
  engine: number;
  bareChained: number;
  bareBulk: number;
  ratio: number;
}

export async function jobsThroughput(opts: JobsOptions): Promise<JobsResult> {
  const { log, summary } = benchLogger();
  const { redis, rpid } = await benchRedis();
  const server = await startLocalServer((_req, res) => sendJson(res, 200, '{"ok":true}'));

  const book = benchRunbook(throughputRunbook(server.url, opts.releases, opts.stages));
  const noop = book.action('svc1', 'production', 'noop');
  if (!noop) throw new Error('no noop action');

  const prefix = uniquePrefix();
  const runtime = createRuntime({
    redisUrl: redis.url,
    prefix,
    runbook: () => book,
    log,
    notifier: new DropNotifier(),
  });
  onCleanup(() => runtime.close());
  const workers = await runtime.startWorkers(); // production defaults: steps concurrency 50
  const steps = workers.find((w) => w.name === QUEUE.steps);
  const notify = workers.find((w) => w.name === QUEUE.notify);
  if (!steps || !notify) throw new Error('no steps or notify worker');

  const chained = bareWorker(redis.url, `${prefix}-bare`, 'bare-chained', noop, log, opts.stages);
  onCleanup(() => chained.close());
  const bulkWorker = (tag: string) => {
    const bare = bareWorker(redis.url, `${prefix}-bare`, `bare-bulk-${tag}`, noop, log, null);
    onCleanup(() => bare.close());
    return bare;
  };

  // Warm-up (JIT, connections, script cache) of every side on a few releases, not counted. The
  // stage count is the runbook's, so only the number of releases shrinks.
  const warm: JobsOptions = { ...opts, releases: Math.min(opts.releases, 4) };
  await engineRun(runtime, steps, warm, 'warm');
  await notifyDrained(runtime, 0);
  await bareChained(chained, warm, 'warm');
  await bareBulk(bulkWorker('warm'), warm, 'warm');

  // What each timed run costs: CPU of this process (all threads, and the main thread alone: 100%
  // there means the event loop is the limit), of redis-server and of the whole machine (other
  // processes on a shared box skew a run; this shows by how much), and Redis commands per job.
  // `after` (the notification drain) counts towards the commands per job but not the time or CPU.
  const measure = async (run: () => Promise<Run>, after?: () => Promise<unknown>) => {
    const self = new CpuMeter(ownCpuSeconds);
    const main = new CpuMeter(() => cpuSeconds(process.pid, process.pid));
    const sched = new SchedMeter(process.pid);
    const server = new CpuMeter(() => cpuSeconds(rpid));
    const machine = new CpuMeter(machineCpuSeconds);
    const commands = countRedisCommands();
    const r = await run();
    const cpu = {
      self: self.share(),
      main: main.share(),
      mainWaiting: sched.shares().waiting,
      redis: server.share(),
      machine: machine.share(),
    };
    await after?.();
    const perName = [...commands.byName()]
      .sort((a, b) => b[1] - a[1])
      .filter(([, n]) => n / r.jobs >= 0.05)
      .map(([name, n]) => `${name} ${fmt(n / r.jobs, 1)}`);
    return {
      ...r,
      ...cpu,
      perJob: commands.total() / r.jobs,
      perName,
    };
  };
  // Rounds are interleaved so a burst of load from elsewhere on the box hits every side alike; the
  // ratio is taken per round (engine and bare run back to back) and its median reported.
  type Measured = Awaited<ReturnType<typeof measure>>;
  const rounds: { engine: Measured; chain: Measured; bulk: Measured; notifyLagMs: number }[] = [];
  for (let i = 0; i < opts.rounds; i++) {
    // The run ends when its last release completes; the notification backlog drains after it.
    let notifyLagMs = 0;
    const engine = await measure(
      () => engineRun(runtime, steps, opts, `run${i}`),
      async () => (notifyLagMs = await notifyDrained(runtime, performance.now())),
    );
    const chain = await measure(() => bareChained(chained, opts, `run${i}`));
    const bulk = await measure(() => bareBulk(bulkWorker(`run${i}`), opts, `run${i}`));
    rounds.push({ engine, chain, bulk, notifyLagMs });
  }
  // Diagnostic, last because it leaves a backlog: the same engine run with the notify worker stopped,
  // to show what delivering notifications (3 per step here) costs the steps.
  await notify.close();
  const quiet = await measure(() => engineRun(runtime, steps, opts, 'no-notify'));

  const ratios = rounds.map((r) => rate(r.engine) / rate(r.chain));
  const medianOf = (side: 'engine' | 'chain' | 'bulk'): Measured => {
    const sorted = rounds.map((r) => r[side]).sort((a, b) => rate(a) - rate(b));
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  const engine = medianOf('engine');
  const chain = medianOf('chain');
  const all = medianOf('bulk');
  const notifyLagMs = Math.max(...rounds.map((r) => r.notifyLagMs));
  // Counting the notification backlog as part of the engine's work: steps / (run + drain).
  const drainedRates = rounds
    .map((r) => r.engine.jobs / (r.engine.seconds + r.notifyLagMs / 1000))
    .sort((a, b) => a - b);
  const drainedRate = drainedRates[Math.floor(drainedRates.length / 2)]!;
  const result: JobsResult = {
    engine: rate(engine),
    bareChained: rate(chain),
    bareBulk: rate(all),
    ratio: [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!,
  };
  const pct = (x: number) => `${fmt(x * 100)}%`.padStart(5);
  const row = (name: string, r: typeof engine): [string, string] => [
    name,
    `${fmt(rate(r)).padStart(6)} ${fmt(r.seconds, 2).padStart(6)} s ${pct(r.self)} ${pct(r.main)} ${pct(r.mainWaiting)} ${pct(r.redis)} ${pct(r.machine)} ${fmt(r.perJob, 1).padStart(6)}`,
  ];
  console.log(
    `\njobs-throughput: ${opts.releases} releases × ${opts.stages} stages = ${fmt(engine.jobs)} stage actions ` +
      `(http GET to 127.0.0.1), worker concurrency ${CONCURRENCY}, ${cpus().length} cores, ` +
      `median of ${opts.rounds} round${opts.rounds === 1 ? '' : 's'}\n`,
  );
  console.log(
    table([
      ['', 'jobs/s   wall      CPU: node  main  wait redis machine  redis cmds/job'],
      row('engine', engine),
      row('bare BullMQ, chained', chain),
      row('bare BullMQ, bulk', all),
      [
        'ratio engine / chained',
        `${fmt(result.ratio, 2)}  (aim ≥ 0.50) ${result.ratio >= 0.5 ? 'OK' : 'BELOW AIM'}; per round: ${ratios.map((r) => fmt(r, 2)).join(', ')}`,
      ],
      ['', ''],
      row('engine, notify stopped*', quiet),
      ['notify backlog drained', `≤ ${fmt(notifyLagMs)} ms after the last release of a round completed`],
      ['engine incl. that drain', `${fmt(drainedRate).padStart(6)} jobs/s`],
    ]),
  );
  console.log(
    '  CPU is a share of one core: node = this process, all threads; main = its event-loop thread;\n' +
      '  wait = that thread runnable but waiting for a core (main + wait near 100%: CPU-bound);\n' +
      '  machine = every process on the box, ours included. *diagnostic only: notifications not delivered.',
  );
  console.log(`\n  Redis commands per engine step: ${engine.perName.join(', ')}`);
  console.log(`  Redis commands per bare job:    ${chain.perName.join(', ')}`);
  const logged = summary();
  if (logged.length > 0)
    console.log(`\n  Logged warnings/errors:\n${logged.map((l) => `    ${l}`).join('\n')}`);
  return result;
}

if (isMain(import.meta.url)) {
  await runBench(async () => {
    await jobsThroughput(intFlags(process.argv.slice(2), { ...JOBS_DEFAULTS }));
  });
}
