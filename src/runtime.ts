// The composition root: everything a Runway process runs, built in one place and in dependency order —
// the Redis-backed core, then (with a Slack client) the Slack services, then the notifier, the Slack
// listeners' register and the workers, each handed what it needs. Nothing is filled in afterwards.
// `runway start|app|worker`, the sandbox, tests and benches all build Runway here.
import type { Worker } from 'bullmq';
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from './log.ts';
import { createCore, type Core } from './core.ts';
import type { GroupResolver } from './engine/engine.ts';
import { LogNotifier, type Notifier } from './engine/notifier.ts';
import type { RunbookContext } from './engine/runbook-context.ts';
import type { OnCallServices } from './incidents/oncall-services.ts';
import type { RunwayMetrics } from './observability/metrics.ts';
import { ObservedWebClient } from './slack/client-options.ts';
import { createGroupResolver } from './slack/groups.ts';
import { createSlackServices, type DeliverySettings, type SlackServices } from './slack/services.ts';
import { createWorkers, type WorkerTuning } from '../jobs/index.ts';
import { register } from '../commands/index.ts';
import { createInsightService, type Insight } from './insight/runtime-parts.ts';

export type { WorkerTuning } from '../jobs/index.ts';

export interface RuntimeOptions {
  redisUrl: string;
  /** Key prefix for the store and BullMQ; tests use a unique one each. */
  prefix?: string;
  runbook: () => RunbookContext;
  log: Logger;
  /** Slack's Web API: with it this process posts to Slack and runs incidents and handoffs. */
  slack?: { client: WebClient; delivery?: DeliverySettings };
  /** Where notifications go instead of Slack (tests); without either, they are logged. */
  notifier?: Notifier;
  clock?: () => Date;
  /** Who is in which user group; defaults to Slack's usergroups when there is a Slack client. */
  groups?: GroupResolver;
  /** Prometheus metrics of this process (one registry per process). */
  metrics?: RunwayMetrics;
}

export interface Runtime extends Core {
  /** What the notify workers deliver through. */
  notifier: Notifier;
  /** Null without a Slack client. */
  slack: SlackServices | null;
  /** Incidents and handoffs (their workers and the Slack listeners use them); null without Slack. */
  oncall: OnCallServices | null;
  /** Registers every Slack listener on a Bolt app: what startSlackApp is given. */
  registerListeners(app: App): void;
  /** Changelogs, GitHub deployments, charts and delivery figures, with the service its worker runs. */
  insight: Insight;
  startWorkers(tuning?: WorkerTuning): Promise<Worker[]>;
  /** Abort every running job (its step is handed back to the queue and resumed elsewhere). */
  cancelRunning(reason: string): void;
  /** Stop taking jobs, let running ones finish (or hand them back), close connections. */
  close(): Promise<void>;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const { log, runbook } = options;
  const client = options.slack?.client;
  const groups = options.groups ?? (client ? createGroupResolver(client) : undefined);
  const core = createCore({
    redisUrl: options.redisUrl,
    prefix: options.prefix ?? 'runway',
    runbook,
    log,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(groups ? { groups } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  if (client instanceof ObservedWebClient) options.metrics?.watchSlack(client);
  const slack = client
    ? createSlackServices({
        core,
        client,
        runbook,
        log,
        ...(options.metrics ? { metrics: options.metrics } : {}),
        ...(options.slack?.delivery ? { delivery: options.slack.delivery } : {}),
      })
    : null;
  const notifier = options.notifier ?? slack?.notifier ?? new LogNotifier(log);
  const oncall = slack?.oncall ?? null;
  const insight: Insight = {
    ...core.insight,
    service: createInsightService({
      parts: core.insight,
      releases: core.store,
      audit: core.audit,
      runbook,
      log,
      // A card edit through the notifier (with Slack, the delivery layer's shared chat.update budget).
      refreshCard: async (id) => {
        const release = await core.store.get(id);
        if (release && 'refreshCard' in notifier) await notifier.refreshCard?.(release);
      },
      ...(slack ? { thread: slack.insightThread } : {}),
    }),
  };
  const listenerDeps = {
    engine: core.engine,
    store: core.store,
    runbook,
    log,
    delivery: (days?: number) => core.insight.figures.report(days),
    ...(oncall ? { incidents: oncall.incidents, handoff: oncall.handoff } : {}),
  };
  const workers: Worker[] = [];
  const connections: { disconnect(): void }[] = [];
  const pumps: { stop(): Promise<void> }[] = [];

  return {
    ...core,
    notifier,
    slack,
    oncall,
    insight,
    registerListeners: (app) => register(app, listenerDeps),
    async startWorkers(tuning = {}) {
      const started = createWorkers(
        {
          core,
          redisUrl: options.redisUrl,
          runbook,
          log,
          notifier,
          oncall,
          delivery: slack?.delivery ?? null,
          insight: insight.service,
          ...(options.metrics ? { metrics: options.metrics } : {}),
        },
        tuning,
      );
      workers.push(...started.workers);
      pumps.push(...started.pumps);
      connections.push(...started.connections);
      await core.queues.sweep.upsertJobScheduler(
        'sweep-outboxes',
        { every: tuning.sweepEveryMs ?? 5_000 },
        { name: 'sweep' },
      );
      await core.dispatcher.sweep();
      await slack?.delivery.sweep();
      await Promise.all(started.workers.map((w) => w.waitUntilReady()));
      return started.workers;
    },
    cancelRunning(reason) {
      for (const w of workers) w.cancelAllJobs(reason);
    },
    async close() {
      await Promise.all([...workers.map((w) => w.close()), ...pumps.map((p) => p.stop())]);
      await core.queues.close();
      for (const c of connections) c.disconnect();
      core.redis.disconnect();
    },
  };
}
