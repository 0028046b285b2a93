// Prometheus metrics (prom-client): what a platform team alerts on. Counters are fed by hooks in the
// engine, the workers and the Slack client; gauges (releases by state, queue depths) are read from
// Redis when /metrics is scraped, so every process reports the same shared truth.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Job, Queue, Worker } from 'bullmq';
import type { ObservedWebClient } from '../slack/client-options.ts';
import { WebClientEvent } from '@slack/web-api';
import type { Release, ReleaseEvent } from '../release/types.ts';
import { FINAL_STATES } from '../release/types.ts';
import type { DeliveryObserver } from '../slack/delivery/observer.ts';

/** What the delivery layer's gauges read at scrape time (src/slack/delivery/service.ts). */
export interface DeliveryGauges {
  depths(): Promise<{ channel: string; depth: number; oldestAgeMs: number }[]>;
  cardsWaiting(): Promise<number>;
}
import type { DeliveryReport } from '../insight/stats.ts';
import { registerDeliveryGauges } from './delivery-gauges.ts';

export interface RunwayMetrics {
  registry: Registry;
  /** Called by the engine after every saved decision. */
  observeDecision(before: Release, after: Release, event: ReleaseEvent | { type: 'started' }): void;
  /** How late the gate sampler took a due sample (ms): its queueing delay. */
  observeGateLateness(ms: number): void;
  /** Time and failures of every job of these workers. */
  watchWorkers(workers: readonly Worker[]): void;
  /** Queue depths and releases by state, read at scrape time. */
  watchQueues(queues: readonly Queue[], activeReleases: () => Promise<Release[]>): void;
  /** Slack Web API calls by method and outcome, and retries. */
  watchSlack(client: ObservedWebClient): void;
  /** The delivery layer: queue depth per channel, oldest pending post, cards waiting. */
  watchDelivery(gauges: DeliveryGauges): void;
  /** 429s by method, card edits deferred, lines folded: fed by the delivery layer. */
  deliveryObserver: DeliveryObserver;
  /** Delivery figures (DORA) from the audit log, read at scrape time. */
  watchDeliveryFigures(report: () => Promise<DeliveryReport>): void;
}

export function createMetrics(): RunwayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const releasesFinished = new Counter({
    name: 'runway_releases_finished_total',
    help: 'Releases that reached a final state, by state (completed, rolled_back, failed, aborted, rejected).',
    labelNames: ['state', 'service', 'environment'] as const,
    registers: [registry],
  });
  const releasesStarted = new Counter({
    name: 'runway_releases_started_total',
    help: 'Releases started, by service and environment.',
    labelNames: ['service', 'environment'] as const,
    registers: [registry],
  });
  const stageDuration = new Histogram({
    name: 'runway_stage_duration_seconds',
    help: 'How long stages took, by kind and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    buckets: [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200],
    registers: [registry],
  });
  const gateSamples = new Counter({
    name: 'runway_gate_samples_total',
    help: 'Gate samples by gate and verdict (ok, breach, no_data).',
    labelNames: ['gate', 'verdict'] as const,
    registers: [registry],
  });
  const rollbacks = new Counter({
    name: 'runway_rollbacks_total',
    help: 'Rollbacks started, by trigger (automatic or manual).',
    labelNames: ['trigger'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'runway_job_duration_seconds',
    help: 'Time from a job being taken to it finishing, by queue.',
    labelNames: ['queue', 'name'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
    registers: [registry],
  });
  const jobLatency = new Histogram({
    name: 'runway_job_latency_seconds',
    help: 'Time from a job being due to it being taken (queueing delay), by queue.',
    labelNames: ['queue'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  const gateLateness = new Histogram({
    name: 'runway_gate_sample_lateness_seconds',
    help: 'Time from a gate sample being due to the sampler taking it (queueing delay).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: 'runway_job_failures_total',
    help: 'Failed job attempts (each is retried with backoff until its attempts run out), by queue.',
    labelNames: ['queue', 'name'] as const,
    registers: [registry],
  });
  const slackCalls = new Counter({
    name: 'runway_slack_api_calls_total',
    help: 'Slack Web API calls by method and outcome (ok, or the error code).',
    labelNames: ['method', 'outcome'] as const,
    registers: [registry],
  });
  const slackRetries = new Counter({
    name: 'runway_slack_retries_total',
    help: 'Slack Web API calls retried, by reason (rate_limited, http_5xx status, network).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });

  const rateLimited = new Counter({
    name: 'runway_slack_rate_limited_total',
    help: 'Slack answers of 429 (rate limited), by method.',
    labelNames: ['method'] as const,
    registers: [registry],
  });
  const updatesDeferred = new Counter({
    name: 'runway_slack_updates_deferred_total',
    help: 'Card edits that waited for the workspace chat.update budget or joined an edit already waiting.',
    registers: [registry],
  });
  const linesFolded = new Counter({
    name: 'runway_slack_lines_folded_total',
    help: 'Thread lines that went out folded with others into one post (a busy channel).',
    registers: [registry],
  });

  return {
    registry,
    deliveryObserver: {
      rateLimited: (method) => rateLimited.inc({ method }),
      retried: (reason) => slackRetries.inc({ reason }),
      deferred: () => updatesDeferred.inc(),
      folded: (count) => linesFolded.inc(count),
    },
    watchDelivery(gauges) {
      new Gauge({
        name: 'runway_slack_delivery_queue_depth',
        help: 'Slack posts waiting to be delivered, by channel.',
        labelNames: ['channel'] as const,
        registers: [registry],
        async collect() {
          this.reset();
          for (const lane of await gauges.depths()) this.set({ channel: lane.channel }, lane.depth);
        },
      });
      new Gauge({
        name: 'runway_slack_delivery_oldest_pending_seconds',
        help: 'Age of the oldest Slack post waiting to be delivered, by channel.',
        labelNames: ['channel'] as const,
        registers: [registry],
        async collect() {
          this.reset();
          for (const lane of await gauges.depths())
            this.set({ channel: lane.channel }, lane.oldestAgeMs / 1000);
        },
      });
      new Gauge({
        name: 'runway_slack_cards_waiting',
        help: 'Cards waiting for an edit from the workspace chat.update budget.',
        registers: [registry],
        async collect() {
          this.set(await gauges.cardsWaiting());
        },
      });
    },
    observeGateLateness: (ms) => gateLateness.observe(ms / 1000),
    observeDecision(before, after, event) {
      if (event.type === 'started')
        releasesStarted.inc({ service: after.service, environment: after.environment });
      if (!FINAL_STATES.includes(before.state) && FINAL_STATES.includes(after.state)) {
        releasesFinished.inc({ state: after.state, service: after.service, environment: after.environment });
      }
      if (before.state !== 'rolling_back' && after.state === 'rolling_back') {
        rollbacks.inc({ trigger: after.rollback?.automatic ? 'automatic' : 'manual' });
      }
      after.stages.forEach((stage, i) => {
        const was = before.stages[i];
        // A running stage ends done, failed, or skipped with `stopped` (a person aborted or rolled back).
        const outcome =
          stage.status === 'skipped'
            ? stage.stopped
              ? 'stopped'
              : null
            : stage.status === 'done' || stage.status === 'failed'
              ? stage.status
              : null;
        const plan = after.plan.stages[i];
        if (outcome && was?.status === 'running' && stage.startedAt && plan) {
          const seconds = (Date.parse(stage.endedAt ?? after.updatedAt) - Date.parse(stage.startedAt)) / 1000;
          stageDuration.observe({ kind: plan.kind, outcome }, Math.max(0, seconds));
        }
      });
      if (event.type === 'gateSampled') {
        const reading = after.gates[event.gate];
        if (reading && reading !== before.gates[event.gate])
          gateSamples.inc({ gate: event.gate, verdict: reading.verdict });
      }
    },
    watchWorkers(workers) {
      for (const worker of workers) {
        const queue = worker.name;
        worker.on('completed', (job: Job) => {
          if (job.processedOn && job.finishedOn)
            jobDuration.observe({ queue, name: job.name }, (job.finishedOn - job.processedOn) / 1000);
          if (job.processedOn)
            jobLatency.observe(
              { queue },
              Math.max(0, job.processedOn - job.timestamp - (job.opts.delay ?? 0)) / 1000,
            );
        });
        worker.on('failed', (job) => {
          jobFailures.inc({ queue, name: job?.name ?? 'unknown' });
        });
      }
    },
    watchQueues(queues, activeReleases) {
      new Gauge({
        name: 'runway_queue_jobs',
        help: 'Jobs in each Runway queue by state (waiting, active, delayed, failed).',
        labelNames: ['queue', 'state'] as const,
        registers: [registry],
        async collect() {
          this.reset();
          for (const queue of queues) {
            const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
            for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
          }
        },
      });
      new Gauge({
        name: 'runway_releases_active',
        help: 'Releases not yet finished, by state.',
        labelNames: ['state'] as const,
        registers: [registry],
        async collect() {
          this.reset();
          const byState = new Map<string, number>();
          for (const r of await activeReleases()) byState.set(r.state, (byState.get(r.state) ?? 0) + 1);
          for (const state of ['preflight', 'awaiting_approval', 'running', 'paused', 'rolling_back']) {
            this.set({ state }, byState.get(state) ?? 0);
          }
        },
      });
    },
    watchDeliveryFigures(report) {
      registerDeliveryGauges(registry, report);
    },
    watchSlack(client) {
      const observer = {
        call: (method: string, outcome: string) => slackCalls.inc({ method, outcome }),
        retry: (reason: string) => slackRetries.inc({ reason }),
      };
      client.observer = observer;
      client.on(WebClientEvent.RATE_LIMITED, () => slackRetries.inc({ reason: 'rate_limited' }));
    },
  };
}
