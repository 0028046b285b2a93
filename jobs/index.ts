// Every BullMQ worker of a Runway process, one per queue, each given its processor and that
// processor's dependencies up front (the composition root, src/runtime.ts, builds them first).
import { hostname } from 'node:os';
import { Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis } from '../src/redis/connection.ts';
import type { Logger } from '../src/log.ts';
import type { Core } from '../src/core.ts';
import { onceWhileFailing } from '../src/core.ts';
import { bullPrefix, QUEUE } from '../src/queue/queues.ts';
import type { Notifier } from '../src/engine/notifier.ts';
import type { RunbookContext } from '../src/engine/runbook-context.ts';
import type { RunActionOptions } from '../src/actions/run-action.ts';
import { backoffDelay } from '../src/actions/backoff.ts';
import type { OnCallServices } from '../src/incidents/oncall-services.ts';
import type { RunwayMetrics } from '../src/observability/metrics.ts';
import { createStepProcessor } from './run-step.ts';
import { createTimerProcessor } from './timers.ts';
import { createGateSampler, type SamplerTuning } from './sampler.ts';
import { createCardRefresher } from './card-refresher.ts';
import { createNotifyProcessor } from './notify.ts';
import { createIncidentProcessor } from './incidents.ts';
import { createHandoffProcessor } from './handoff.ts';
import { createDeliverProcessor } from './deliver.ts';
import type { SlackDelivery } from '../src/slack/delivery/service.ts';
import { createInsightProcessor } from './insight.ts';
import { insightRetryDelay } from '../src/insight/github-errors.ts';
import type { InsightService } from '../src/insight/service.ts';

export interface WorkerTuning {
  stepConcurrency?: number;
  timerConcurrency?: number;
  notifyConcurrency?: number;
  deliverConcurrency?: number;
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
  /** The gate sampler's tick, batch size and claim lease. */
  sampler?: SamplerTuning;
}

export interface WorkerDeps {
  core: Core;
  redisUrl: string;
  runbook: () => RunbookContext;
  log: Logger;
  notifier: Notifier;
  /** Null in a process without Slack: its incident and handoff jobs fail as unrecoverable. */
  oncall: OnCallServices | null;
  /** Null in a process without Slack: its deliver jobs do nothing. */
  delivery: SlackDelivery | null;
  /** Changelogs, GitHub deployment statuses and charts (without Slack it posts nothing). */
  insight: InsightService;
  metrics?: RunwayMetrics;
}

export interface Workers {
  workers: Worker[];
  /** The workers' own connections (BullMQ blocks on them), closed after the workers. */
  connections: Redis[];
  /** The gate sampler and the card refresher: started here, stopped before the connections close. */
  pumps: { stop(): Promise<void> }[];
}

export function createWorkers(deps: WorkerDeps, tuning: WorkerTuning = {}): Workers {
  const { core, log } = deps;
  const connections: Redis[] = [];
  const base = (concurrency: number): WorkerOptions => {
    const connection = createRedis(deps.redisUrl, { forWorker: true });
    connections.push(connection);
    return {
      connection,
      prefix: bullPrefix(core.prefix),
      concurrency,
      lockDuration: tuning.lockDurationMs ?? 15_000,
      stalledInterval: tuning.stalledIntervalMs ?? 5_000,
      // A stalled step is a killed worker, not a poison job: take it back, do not fail it.
      maxStalledCount: 100,
    };
  };
  const oncallSettings = {
    backoffStrategy: (made: number) =>
      backoffDelay(made - 1, tuning.oncallBackoff ?? { baseMs: 2000, capMs: 60_000 }),
  };
  const step = createStepProcessor({
    engine: core.engine,
    store: core.store,
    runbook: deps.runbook,
    log,
    owner: `${hostname()}:${process.pid}`,
    ...(tuning.cancelPollMs ? { cancelPollMs: tuning.cancelPollMs } : {}),
    ...(tuning.actionOptions ? { actionOptions: tuning.actionOptions } : {}),
  });
  const timer = createTimerProcessor({
    engine: core.engine,
    store: core.store,
    runbook: deps.runbook,
    log,
  });
  const notify = createNotifyProcessor({
    notifications: core.notifications,
    store: core.store,
    notifier: deps.notifier,
    log,
    onGiveUp: async (note, release, reason) => {
      await core.audit.append({
        actor: 'runway',
        action: 'notification.failed',
        releaseId: release.id,
        service: release.service,
        environment: release.environment,
        details: { kind: note.effect.type, reason },
      });
    },
  });
  const incidents = createIncidentProcessor({ incidents: deps.oncall?.incidents ?? null, log });
  const handoff = createHandoffProcessor({ handoff: deps.oncall?.handoff ?? null, log });
  const workers = [
    new Worker(QUEUE.steps, step, base(tuning.stepConcurrency ?? 50)),
    new Worker(QUEUE.timers, timer, base(tuning.timerConcurrency ?? 50)),
    new Worker(QUEUE.notify, notify, base(tuning.notifyConcurrency ?? 10)),
    new Worker(
      QUEUE.sweep,
      async () => {
        await core.dispatcher.sweep();
        await deps.delivery?.sweep();
      },
      base(1),
    ),
    new Worker(QUEUE.deliver, createDeliverProcessor(deps.delivery), base(tuning.deliverConcurrency ?? 20)),
    new Worker(QUEUE.incidents, incidents, { ...base(10), settings: oncallSettings }),
    new Worker(QUEUE.handoff, handoff, { ...base(2), settings: oncallSettings }),
    // Charts take ~100 ms of CPU each: a couple at a time is plenty.
    new Worker(QUEUE.insight, createInsightProcessor({ insight: deps.insight, log }), {
      ...base(tuning.insightConcurrency ?? 2),
      settings: {
        backoffStrategy: (made: number, _type?: string, err?: Error) => insightRetryDelay(made, err),
      },
    }),
  ];
  deps.metrics?.watchWorkers(workers);
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
  const sampler = createGateSampler(
    {
      engine: core.engine,
      store: core.store,
      gates: core.gates,
      runbook: deps.runbook,
      log,
      ...(deps.metrics ? { onApplied: deps.metrics.observeGateLateness } : {}),
    },
    tuning.sampler,
  );
  const cards = createCardRefresher({ cards: core.cards, store: core.store, notifier: deps.notifier, log });
  sampler.start();
  cards.start();
  return { workers, connections, pumps: [sampler, cards] };
}
