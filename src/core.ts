// Runway's Redis-backed core: store, audit log, queues, dispatcher and engine, on one connection. The
// composition root (runtime.ts) builds it first, then the Slack services and workers that use it.
import type { Redis } from 'ioredis';
import { createRedis } from './redis/connection.ts';
import type { Logger } from './log.ts';
import { ReleaseStore } from './store/release-store.ts';
import { AuditLog } from './store/audit-log.ts';
import { NotificationQueue } from './store/notification-queue.ts';
import { GateSchedule } from './store/gate-schedule.ts';
import { DueSet } from './store/due-set.ts';
import type { StoreKeys } from './store/keys.ts';
import { createQueues, type Queues } from './queue/queues.ts';
import { Dispatcher } from './engine/dispatcher.ts';
import { Engine, type GroupResolver } from './engine/engine.ts';
import { IncidentStore } from './incidents/incident-store.ts';
import type { RunbookContext } from './engine/runbook-context.ts';
import type { RunwayMetrics } from './observability/metrics.ts';
import { createInsightParts, type InsightParts } from './insight/runtime-parts.ts';

export interface CoreOptions {
  redisUrl: string;
  /** Key prefix for the store and BullMQ; tests use a unique one each. */
  prefix: string;
  runbook: () => RunbookContext;
  log: Logger;
  clock?: () => Date;
  groups?: GroupResolver;
  metrics?: RunwayMetrics;
}

export interface Core {
  redis: Redis;
  prefix: string;
  store: ReleaseStore;
  audit: AuditLog;
  queues: Queues;
  keys: StoreKeys;
  notifications: NotificationQueue;
  /** Due gate samples (the sampler in jobs/sampler.ts claims them). */
  gates: GateSchedule;
  /** Due card refreshes (jobs/card-refresher.ts claims them). */
  cards: DueSet;
  dispatcher: Dispatcher;
  engine: Engine;
  /** Changelogs, samples, GitHub deployments and delivery figures (the service is the runtime's). */
  insight: InsightParts;
}

/** Logs the first error of an outage and then one every 30 s, not one per reconnect attempt. */
export function onceWhileFailing(log: Logger, message: string): (error: Error) => void {
  let last = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < 30_000) return;
    last = now;
    log.error({ err: error.message }, message);
  };
}

export function createCore(options: CoreOptions): Core {
  const { prefix, log } = options;
  const redis = createRedis(options.redisUrl, { forWorker: true, autoPipelining: true });
  const store = new ReleaseStore(redis, prefix);
  const audit = new AuditLog(redis, prefix);
  const queues = createQueues(redis, prefix, onceWhileFailing(log, 'queue connection error'));
  const keys = store.keys;
  const notifications = new NotificationQueue(redis, keys);
  const gates = new GateSchedule(redis, keys);
  const cards = new DueSet(redis, keys.cardRefreshes());
  const insight = createInsightParts({ redis, keys, queues, audit, log });
  const dispatcher = new Dispatcher({
    store,
    notifications,
    queues,
    gates,
    cards,
    log,
    samples: insight.samples,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const incidents = new IncidentStore(redis, keys);
  const engine = new Engine({
    store,
    audit,
    openIncidents: async () =>
      (await incidents.listOpen()).map((i) => ({
        id: i.id,
        severity: i.severity,
        title: i.title,
        channelId: i.channelId,
      })),
    runbook: options.runbook,
    dispatcher,
    log,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.groups ? { groups: options.groups } : {}),
    ...(options.metrics ? { observe: options.metrics.observeDecision } : {}),
  });
  options.metrics?.watchQueues(queues.all(), () => store.listActive());
  options.metrics?.watchDeliveryFigures(() => insight.figures.report());
  return {
    redis,
    prefix,
    store,
    audit,
    queues,
    keys,
    notifications,
    gates,
    cards,
    dispatcher,
    engine,
    insight,
  };
}
