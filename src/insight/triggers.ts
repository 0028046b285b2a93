// Which insight jobs a release's effects and samples call for (pure). The dispatcher hands every
// outbox batch here and the gate timer every counted sample; the job ids are deterministic, so a
// batch dispatched twice (a crash, the sweep) queues each job once.
import type { Effect, Release } from '../release/types.ts';
import { safeJobId } from '../queue/queues.ts';

export type InsightJobData =
  | { kind: 'changelog'; releaseId: string }
  | { kind: 'deploy'; releaseId: string }
  | { kind: 'ended'; releaseId: string }
  | { kind: 'chart'; releaseId: string; why: 'breach' | 'completed' };

export interface InsightJob {
  data: InsightJobData;
  jobId: string;
}

/**
 * `first`: the first batch this process dispatches for the release (its start, or the first one after
 * a restart): the changelog job is asked for then, and does nothing when it has run already.
 */
export function jobsForBatch(releaseId: string, effects: readonly Effect[], first: boolean): InsightJob[] {
  const jobs: InsightJob[] = [];
  const job = (data: InsightJobData, suffix: string) =>
    jobs.push({ data, jobId: safeJobId(`${releaseId}-insight-${suffix}`) });
  if (first && effects.some((e) => e.type !== 'updateCard'))
    job({ kind: 'changelog', releaseId }, 'changelog');
  for (const e of effects) {
    if (e.type === 'runAction' && e.purpose.kind === 'stage' && e.action === 'deploy')
      job({ kind: 'deploy', releaseId }, `deploy-${e.purpose.attempt}`);
    if (e.type === 'releaseLock') job({ kind: 'ended', releaseId }, 'ended');
  }
  return jobs;
}

/** A sample that made the gate's breach count (a rollback or pause began): chart it. */
export function jobsForSample(before: Release, after: Release): InsightJob[] {
  const rolledBack =
    after.state === 'rolling_back' && before.state !== 'rolling_back' && after.rollback?.automatic;
  const paused = after.state === 'paused' && before.state !== 'paused' && after.pause?.by === 'runway';
  if (!rolledBack && !paused) return [];
  return [
    {
      data: { kind: 'chart', releaseId: after.id, why: 'breach' },
      jobId: safeJobId(`${after.id}-insight-chart-breach-e${before.epoch}`),
    },
  ];
}
