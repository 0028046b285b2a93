// Which insight work a decision calls for (pure), written into the outbox in the same Redis script
// as the state change (engine/kit.ts splitEffects): a crash between the save and the dispatch loses
// no chart point and no chart, since the sweep dispatches the batch again. Job ids are deterministic
// and samples are kept by value, so a batch dispatched twice queues each job and keeps each sample once.
import type { Effect, Release, ReleaseEvent } from '../release/types.ts';
import { safeJobId } from '../queue/queues.ts';
import { countedSample, type GateSample } from './samples.ts';

export type InsightJobData =
  | { kind: 'changelog'; releaseId: string }
  | { kind: 'deploy'; releaseId: string }
  | { kind: 'ended'; releaseId: string }
  /** `breach`: which breach (its gate sample), so each breach of a release gets its own chart. */
  | { kind: 'chart'; releaseId: string; why: 'breach' | 'completed'; breach?: string };

/** Outbox entries beside the machine's effects: an insight job to queue, a gate sample to keep. */
export type InsightEffect =
  { type: 'insightJob'; jobId: string; data: InsightJobData } | { type: 'keepSample'; sample: GateSample };

const job = (data: InsightJobData, suffix: string): InsightEffect => ({
  type: 'insightJob',
  data,
  jobId: safeJobId(`${data.releaseId}-insight-${suffix}`),
});

/**
 * `before` is null when the release is created (its changelog is asked for then). `event` is what
 * was applied (a counted gate sample is kept; the sample that began a rollback or a pause is charted).
 */
export function insightEffects(
  before: Release | null,
  after: Release,
  effects: readonly Effect[],
  event?: ReleaseEvent,
): InsightEffect[] {
  const out: InsightEffect[] = [];
  if (before === null && after.kind === 'release')
    out.push(job({ kind: 'changelog', releaseId: after.id }, 'changelog'));
  for (const e of effects) {
    if (e.type === 'runAction' && e.purpose.kind === 'stage' && e.action === 'deploy')
      out.push(job({ kind: 'deploy', releaseId: after.id }, `deploy-${e.purpose.attempt}`));
    if (e.type === 'releaseLock') {
      out.push(job({ kind: 'ended', releaseId: after.id }, 'ended'));
      // Its own job: the chart must not wait for (or be lost with) the GitHub report.
      const gated = after.plan.stages.some((s) => s.gates.length > 0);
      if (after.state === 'completed' && gated)
        out.push(job({ kind: 'chart', releaseId: after.id, why: 'completed' }, 'chart-completed'));
    }
  }
  if (before && event?.type === 'gateSampled') {
    const sample = countedSample(event.gate, before, after);
    if (sample) out.push({ type: 'keepSample', sample });
    out.push(...chartOnBreach(before, after, event));
  }
  return out;
}

/**
 * A sample that made the gate's breach count (a rollback or pause began): chart it. The breach is
 * named by its sample (epoch, gate, seq): a pause, a resume and a second breach in the same stage
 * keep the epoch, and a repeated dispatch of the same decision names the same breach.
 */
export function chartOnBreach(
  before: Release,
  after: Release,
  event: Extract<ReleaseEvent, { type: 'gateSampled' }>,
): InsightEffect[] {
  const rolledBack =
    after.state === 'rolling_back' && before.state !== 'rolling_back' && after.rollback?.automatic;
  const paused = after.state === 'paused' && before.state !== 'paused' && after.pause?.by === 'runway';
  if (!rolledBack && !paused) return [];
  const breach = `e${before.epoch}-${event.gate}-${event.seq}`;
  return [job({ kind: 'chart', releaseId: after.id, why: 'breach', breach }, `chart-breach-${breach}`)];
}
