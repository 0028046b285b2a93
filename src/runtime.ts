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
import { resolvedWithin } from './time-limit.ts';

export type { WorkerTuning } from '../jobs/index.ts';

/**
 * How long close() waits, by default, for the workers and pumps to stop and the queues to close
 * before it disconnects everything anyway. BullMQ's Worker.close() never resolves while its blocking
 * connection is reconnecting (Redis down or just restarted: taskforcesh/bullmq#4656), and a pump's
 * last command can wait out a whole outage: without a bound, close() could wait for ever.
 */
export const CLOSE_WAIT_MS = 5_000;

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
  /**
   * Stop taking jobs, let running ones finish, close connections. Past `waitMs` (CLOSE_WAIT_MS) it
   * stops waiting: running jobs are cancelled (handed back) and every connection is disconnected.
   */
  close(options?: { waitMs?: number }): Promise<void>;
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
  const cancelRunning = (reason: string): void => {
    for (const w of workers) w.cancelAllJobs(reason);
  };

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
    cancelRunning,
    async close({ waitMs = CLOSE_WAIT_MS } = {}) {
      // allSettled: a pump whose last write failed (Redis down) must not skip the rest.
      const graceful = Promise.allSettled([...workers.map((w) => w.close()), ...pumps.map((p) => p.stop())])
        .then(() => core.queues.close())
        .catch((err: unknown) => log.warn({ err: String(err) }, 'close: closing the queues failed'));
      if (
        !(await resolvedWithin(
          graceful.then(() => true),
          waitMs,
          false,
        ))
      ) {
        log.warn({ waitMs }, 'close: workers did not stop in time (is Redis reachable?); disconnecting');
        cancelRunning('close timed out');
      }
      // Ends every connection, reconnecting or not (a hung Worker.close() is left behind, settled or
      // not: close(true) would only return the same pending promise). Nothing is left to reconnect.
      for (const c of connections) c.disconnect();
      core.redis.disconnect();
    },
  };
}
