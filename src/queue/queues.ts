// Queue names, job payloads (zod) and the queues themselves. Job ids are deterministic and built here,
// so a re-dispatched effect or a re-delivered job never creates a second job for the same step.
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';

export const QUEUE = {
  /** Actions: pre-flight checks, stage actions, rollback steps. Long-running (a deploy may take 10m). */
  steps: 'runway-steps',
  /** Timers: gate samples and hold ends. Short. */
  timers: 'runway-timers',
  /** Messages to people: card updates, thread posts, handoffs, incidents. Ordered per release. */
  notify: 'runway-notify',
  /** Housekeeping: re-dispatching outboxes a crashed process left behind. */
  sweep: 'runway-sweep',
  /** Incidents: automatic declarations, paging, sev1 reminders, postmortems (src/incidents/jobs.ts). */
  incidents: 'runway-incidents',
  /** Scheduled shift handoffs, one job per cron slot (src/handoff/jobs.ts). */
  handoff: 'runway-handoff',
  /** Slack delivery: per-channel lanes and the workspace's card-edit budget (src/slack/delivery/). */
  deliver: 'runway-deliver',
  /** Changelogs, GitHub deployment statuses, canary charts (src/insight). */
  insight: 'runway-insight',
} as const;

const purposeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('stage'),
    stageIndex: z.number().int(),
    attempt: z.number().int(),
    epoch: z.number().int(),
  }),
  z.object({ kind: z.literal('preflight'), itemId: z.string(), attempt: z.number().int() }),
  // traffic, verify, or an undo step (rollback, undo-s<stage>): see RollbackStep.
  z.object({ kind: z.literal('rollback'), step: z.string().regex(/^[a-z0-9-]+$/) }),
]);

export const stepJobSchema = z.object({
  releaseId: z.string(),
  key: z.string(),
  action: z.string(),
  vars: z.object({
    percent: z.number().optional(),
    version: z.string().optional(),
    flag: z.enum(['on', 'off']).optional(),
  }),
  purpose: purposeSchema,
});
export type StepJob = z.infer<typeof stepJobSchema>;

export const timerJobSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('gate'),
    releaseId: z.string(),
    gate: z.string(),
    epoch: z.number().int(),
    seq: z.number().int(),
  }),
  z.object({
    kind: z.literal('hold'),
    releaseId: z.string(),
    stageIndex: z.number().int(),
    epoch: z.number().int(),
    seq: z.number().int(),
  }),
]);
export type TimerJob = z.infer<typeof timerJobSchema>;

export const notifyJobSchema = z.object({ releaseId: z.string() });
export type NotifyJob = z.infer<typeof notifyJobSchema>;

/** BullMQ refuses `:` in custom ids and all-digit ids; release ids and keys never have either. */
export function safeJobId(id: string): string {
  return id.replace(/:/g, '_');
}

export const jobIds = {
  gate: (j: { releaseId: string; gate: string; epoch: number; seq: number }) =>
    safeJobId(`${j.releaseId}-e${j.epoch}-g-${j.gate}-${j.seq}`),
  hold: (j: { releaseId: string; stageIndex: number; epoch: number; seq: number }) =>
    safeJobId(`${j.releaseId}-e${j.epoch}-s${j.stageIndex}-hold-${j.seq}`),
  notify: (releaseId: string, batchId: string) => safeJobId(`${releaseId}-notify-${batchId}`),
};

/** Completed and failed jobs are kept a while: a duplicate id is ignored only while the first job exists. */
const KEEP: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const STEP_JOB_OPTIONS: JobsOptions = {
  ...KEEP,
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
};
export const TIMER_JOB_OPTIONS: JobsOptions = {
  ...KEEP,
  attempts: 5,
  backoff: { type: 'exponential', delay: 500 },
};
/**
 * GitHub and Slack uploads may be down for a while: retry for about half an hour, exponentially from
 * 1 s, except that a GitHub rate limit waits as long as GitHub asks (the insight worker's strategy,
 * src/insight/github-errors.ts insightRetryDelay).
 */
export const INSIGHT_JOB_OPTIONS: JobsOptions = {
  ...KEEP,
  attempts: 12,
  backoff: { type: 'insight', delay: 1000 },
};
export const NOTIFY_JOB_OPTIONS: JobsOptions = {
  ...KEEP,
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
};

export interface Queues {
  steps: Queue;
  timers: Queue;
  notify: Queue;
  sweep: Queue;
  incidents: Queue;
  handoff: Queue;
  deliver: Queue;
  insight: Queue;
  prefix: string;
  /** Every queue, for the dashboard and the queue-depth metrics. */
  all(): Queue[];
  close(): Promise<void>;
}

/** BullMQ keys live under `<prefix>-bull` so they never mix with the store's `<prefix>:…` keys. */
export function bullPrefix(prefix: string): string {
  return `${prefix}-bull`;
}

/**
 * `onError` gets every connection error of the queues (BullMQ prints them to stderr when nobody
 * listens, once per reconnect attempt).
 */
export function createQueues(connection: Redis, prefix: string, onError?: (error: Error) => void): Queues {
  const opts = { connection, prefix: bullPrefix(prefix) };
  const steps = new Queue(QUEUE.steps, opts);
  const timers = new Queue(QUEUE.timers, opts);
  const notify = new Queue(QUEUE.notify, opts);
  const sweep = new Queue(QUEUE.sweep, opts);
  const incidents = new Queue(QUEUE.incidents, opts);
  const handoff = new Queue(QUEUE.handoff, opts);
  const deliver = new Queue(QUEUE.deliver, opts);
  const report = onError ?? (() => {});
  const insight = new Queue(QUEUE.insight, opts);
  for (const queue of [steps, timers, notify, sweep, incidents, handoff, deliver, insight])
    queue.on('error', report);
  return {
    steps,
    timers,
    notify,
    sweep,
    incidents,
    handoff,
    deliver,
    prefix,
    insight,
    all: () => [steps, timers, notify, sweep, incidents, handoff, deliver, insight],
    close: async () => {
      await Promise.all([
        steps.close(),
        timers.close(),
        notify.close(),
        sweep.close(),
        incidents.close(),
        handoff.close(),
        deliver.close(),
        insight.close(),
      ]);
    },
  };
}
