// Builds Runway's parts on one Redis: store, audit log, queues, dispatcher, engine, and (for `start`
// and `worker`) the BullMQ workers. Tests, the CLI and the sandbox all build it the same way.
import { hostname } from 'node:os';
import { Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis } from './redis/connection.ts';
import type { Logger } from './log.ts';
import { ReleaseStore } from './store/release-store.ts';
import { AuditLog } from './store/audit-log.ts';
import { bullPrefix, createQueues, jobIds, NOTIFY_JOB_OPTIONS, QUEUE, type Queues } from './queue/queues.ts';
import { Dispatcher } from './engine/dispatcher.ts';
import { Engine, type GroupResolver } from './engine/engine.ts';
import type { StoreKeys } from './store/keys.ts';
import { LogNotifier, type Notifier } from './engine/notifier.ts';
import type { RunbookContext } from './engine/runbook-context.ts';
import { createStepProcessor } from '../jobs/run-step.ts';
import { createTimerProcessor } from '../jobs/timers.ts';
import { createNotifyProcessor } from '../jobs/notify.ts';
import type { RunActionOptions } from './actions/run-action.ts';
import { backoffDelay } from './actions/backoff.ts';
import { createIncidentProcessor } from '../jobs/incidents.ts';
import { createHandoffProcessor } from '../jobs/handoff.ts';
import type { OnCallSlot } from './incidents/oncall-services.ts';
import type { RunwayMetrics } from './observability/metrics.ts';
import { NotificationQueue } from './store/notification-queue.ts';
import { createInsight, type Insight } from './insight/runtime-parts.ts';
import { createInsightProcessor } from '../jobs/insight.ts';

export interface RuntimeOptions {
  redisUrl: string;
  /** Key prefix for the store and BullMQ; tests use a unique one each. */
  prefix?: string;
  runbook: () => RunbookContext;
  log: Logger;
  notifier?: Notifier;
  clock?: () => Date;
  groups?: GroupResolver;
  /** Prometheus metrics of this process (one registry per process). */
  metrics?: RunwayMetrics;
}

export interface WorkerTuning {
  stepConcurrency?: number;
  timerConcurrency?: number;
  notifyConcurrency?: number;
  insightConcurrency?: number;
  /** A dead worker's job is taken back after this (BullMQ lockDuration). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** How often leftover outboxes are re-dispatched. */
  sweepEveryMs?: number;
  cancelPollMs?: number;
  actionOptions?: RunActionOptions;
  /** Backoff between attempts of incident and handoff jobs (paging retries); default 2s doubling to 1m. */
  oncallBackoff?: { baseMs: number; capMs: number };
}

export interface Runtime {
  redis: Redis;
  prefix: string;
  store: ReleaseStore;
  audit: AuditLog;
  queues: Queues;
  keys: StoreKeys;
  dispatcher: Dispatcher;
  engine: Engine;
  /** Changelogs, GitHub deployments, charts (its Slack side is given by wireSlack). */
  insight: Insight;
  /** Incidents and handoffs, filled by wireSlack: their workers and the Slack listeners use them. */
  oncall: OnCallSlot;
  setNotifier(notifier: Notifier): void;
  /** Re-render a release's card after `delayMs` (deduplicated per second). */
  scheduleCardRefresh(releaseId: string, delayMs: number): Promise<void>;
  startWorkers(tuning?: WorkerTuning): Promise<Worker[]>;
  /** Abort every running job (its step is handed back to the queue and resumed elsewhere). */
  cancelRunning(reason: string): void;
  /** Stop taking jobs, let running ones finish (or hand them back), close connections. */
  close(): Promise<void>;
}

/** Logs the first error of an outage and then one every 30 s, not one per reconnect attempt. */
function onceWhileFailing(log: Logger, message: string): (error: Error) => void {
  let last = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < 30_000) return;
    last = now;
    log.error({ err: error.message }, message);
  };
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const prefix = options.prefix ?? 'runway';
  const redis = createRedis(options.redisUrl, { forWorker: true });
  const store = new ReleaseStore(redis, prefix);
  const audit = new AuditLog(redis, prefix);
  const log = options.log;
  const queues = createQueues(redis, prefix, onceWhileFailing(log, 'queue connection error'));
  const keys = store.keys;
  const notifications = new NotificationQueue(redis, keys);
  const insight = createInsight({
    redis,
    keys,
    queues,
    releases: store,
    audit,
    runbook: options.runbook,
    log,
    refreshCard: (id) => scheduleCardRefresh(id, 0),
  });
  const dispatcher = new Dispatcher({
    redis,
    store,
    notifications,
    queues,
    keys,
    log,
    onBatch: (id, effects) => insight.triggers.onBatch(id, effects),
  });
  const engine = new Engine({
    store,
    audit,
    runbook: options.runbook,
    dispatcher,
    log,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.groups ? { groups: options.groups } : {}),
    ...(options.metrics ? { observe: options.metrics.observeDecision } : {}),
  });
  options.metrics?.watchQueues(queues.all(), () => store.listActive());
  options.metrics?.watchDelivery(() => insight.figures.report());
  let notifier: Notifier = options.notifier ?? new LogNotifier(log);
  const workers: Worker[] = [];
  const connections: Redis[] = [];
  const oncall: OnCallSlot = {};
  async function scheduleCardRefresh(releaseId: string, delayMs: number): Promise<void> {
    const due = Date.now() + delayMs;
    await queues.notify.add(
      'card',
      { releaseId },
      { ...NOTIFY_JOB_OPTIONS, delay: delayMs, jobId: jobIds.cardRefresh(releaseId, due) },
    );
  }

  return {
    redis,
    prefix,
    store,
    audit,
    queues,
    keys,
    dispatcher,
    engine,
    insight,
    oncall,
    setNotifier: (n) => {
      notifier = n;
    },
    scheduleCardRefresh,
    async startWorkers(tuning = {}) {
      const base = (concurrency: number): WorkerOptions => {
        const connection = createRedis(options.redisUrl, { forWorker: true });
        connections.push(connection);
        return {
          connection,
          prefix: bullPrefix(prefix),
          concurrency,
          lockDuration: tuning.lockDurationMs ?? 15_000,
          stalledInterval: tuning.stalledIntervalMs ?? 5_000,
          // A stalled step is a killed worker, not a poison job: take it back, do not fail it.
          maxStalledCount: 100,
        };
      };
      const owner = `${hostname()}:${process.pid}`;
      workers.push(
        new Worker(
          QUEUE.steps,
          createStepProcessor({
            engine,
            store,
            redis,
            keys,
            runbook: options.runbook,
            log,
            owner,
            ...(tuning.cancelPollMs ? { cancelPollMs: tuning.cancelPollMs } : {}),
            ...(tuning.actionOptions ? { actionOptions: tuning.actionOptions } : {}),
          }),
          base(tuning.stepConcurrency ?? 50),
        ),
        new Worker(
          QUEUE.timers,
          createTimerProcessor({
            engine,
            store,
            runbook: options.runbook,
            log,
            onSampled: (gate, before, after) => insight.triggers.onSampled(gate, before, after),
          }),
          base(tuning.timerConcurrency ?? 50),
        ),
        new Worker(
          QUEUE.notify,
          createNotifyProcessor({
            notifications,
            store,
            notifier: () => notifier,
            log,
            onGiveUp: async (note, release, reason) => {
              await audit.append({
                actor: 'runway',
                action: 'notification.failed',
                releaseId: release.id,
                service: release.service,
                environment: release.environment,
                details: { kind: note.effect.type, reason },
              });
            },
          }),
          base(tuning.notifyConcurrency ?? 10),
        ),
        new Worker(QUEUE.sweep, async () => dispatcher.sweep(), base(1)),
        new Worker(QUEUE.incidents, createIncidentProcessor({ incidents: () => oncall.incidents, log }), {
          ...base(10),
          settings: {
            backoffStrategy: (made: number) =>
              backoffDelay(made - 1, tuning.oncallBackoff ?? { baseMs: 2000, capMs: 60_000 }),
          },
        }),
        // Charts take ~100 ms of CPU each: a couple at a time is plenty.
        new Worker(
          QUEUE.insight,
          createInsightProcessor({ insight: insight.service, log }),
          base(tuning.insightConcurrency ?? 2),
        ),
        new Worker(QUEUE.handoff, createHandoffProcessor({ handoff: () => oncall.handoff, log }), {
          ...base(2),
          settings: {
            backoffStrategy: (made: number) =>
              backoffDelay(made - 1, tuning.oncallBackoff ?? { baseMs: 2000, capMs: 60_000 }),
          },
        }),
      );
      options.metrics?.watchWorkers(workers);
      const workerErrors = onceWhileFailing(log, 'worker error');
      for (const worker of workers) {
        worker.on('failed', (job, err) => {
          log.warn(
            { jobId: job?.id, queue: worker.name, err: err.message, attempts: job?.attemptsMade },
            'job failed',
          );
        });
        worker.on('error', workerErrors);
      }
      await queues.sweep.upsertJobScheduler(
        'sweep-outboxes',
        { every: tuning.sweepEveryMs ?? 5_000 },
        { name: 'sweep' },
      );
      await dispatcher.sweep();
      await Promise.all(workers.map((w) => w.waitUntilReady()));
      return workers;
    },
    cancelRunning(reason) {
      for (const w of workers) w.cancelAllJobs(reason);
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await queues.close();
      for (const c of connections) c.disconnect();
      redis.disconnect();
    },
  };
}
