// Turns what the dispatcher and the gate timer see into insight jobs on the runway-insight queue, and
// keeps each counted gate sample for the charts. Never in the Slack ack path: the dispatcher runs
// after a decision is saved, the timer in its worker.
import type { Queue } from 'bullmq';
import type { Logger } from '../log.ts';
import { INSIGHT_JOB_OPTIONS } from '../queue/queues.ts';
import type { Effect, Release } from '../release/types.ts';
import { countedSample, type SampleStore } from './samples.ts';
import { jobsForBatch, jobsForSample, type InsightJob } from './triggers.ts';

/** Releases this process has dispatched for: their changelog job was asked for. */
const REMEMBERED = 5000;

export class InsightTriggers {
  private readonly seen = new Set<string>();

  constructor(private readonly deps: { queue: Queue; samples: SampleStore; log: Logger }) {}

  async onBatch(releaseId: string, effects: readonly Effect[]): Promise<void> {
    const first = !this.seen.has(releaseId);
    const jobs = jobsForBatch(releaseId, effects, first);
    if (jobs.length === 0) return;
    await this.add(jobs);
    if (first && jobs.some((j) => j.data.kind === 'changelog')) this.remember(releaseId);
  }

  /** After the engine applied a gate sample: keep it when the machine counted it; chart a breach. */
  async onSampled(gate: string, before: Release, after: Release): Promise<void> {
    try {
      const sample = countedSample(gate, before, after);
      if (sample) await this.deps.samples.record(after.id, sample);
      await this.add(jobsForSample(before, after));
    } catch (error) {
      // The chart is a view of the release; losing one point must not fail the gate's sample job.
      this.deps.log.warn(
        { releaseId: after.id, gate, err: (error as Error).message },
        'gate sample not kept',
      );
    }
  }

  private async add(jobs: readonly InsightJob[]): Promise<void> {
    for (const job of jobs)
      await this.deps.queue.add(job.data.kind, job.data, { ...INSIGHT_JOB_OPTIONS, jobId: job.jobId });
  }

  private remember(releaseId: string): void {
    if (this.seen.size >= REMEMBERED) this.seen.clear();
    this.seen.add(releaseId);
  }
}
