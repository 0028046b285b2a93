// What a canary chart shows, from the release and the samples Runway took (nothing is re-queried):
// each sampled gate's readings with its thresholds, the stage boundaries and the traffic over time.
import type { PlannedStage, Release } from '../release/types.ts';
import type { GateSample } from './samples.ts';

export interface ChartGate {
  name: string;
  min?: number;
  max?: number;
  readings: { at: string; value: number; breach: boolean }[];
  /** Samples that had no data (drawn as marks on the time axis). */
  gaps: { at: string }[];
}

export interface ChartInput {
  title: string;
  subtitle: string;
  gates: ChartGate[];
  stages: { at: string; label: string }[];
  traffic: { at: string; percent: number }[];
}

export type ChartRelease = Pick<
  Release,
  'service' | 'version' | 'environment' | 'plan' | 'stages' | 'state' | 'createdAt' | 'endedAt'
>;

export function chartInput(release: ChartRelease, samples: readonly GateSample[], why: string): ChartInput {
  const gates: ChartGate[] = [];
  for (const [name, policy] of Object.entries(release.plan.gates)) {
    const mine = samples.filter((s) => s.gate === name);
    if (mine.length === 0) continue;
    gates.push({
      name,
      ...(policy.min !== undefined ? { min: policy.min } : {}),
      ...(policy.max !== undefined ? { max: policy.max } : {}),
      readings: mine.flatMap((s) =>
        s.value === null ? [] : [{ at: s.at, value: s.value, breach: s.verdict === 'breach' }],
      ),
      gaps: mine.filter((s) => s.value === null).map((s) => ({ at: s.at })),
    });
  }
  const stages = release.stages.flatMap((run, index) => {
    const plan = release.plan.stages[index];
    return run.startedAt && plan ? [{ at: run.startedAt, label: shortLabel(plan) }] : [];
  });
  // One point per change of traffic (several gates sample at the same moments).
  const traffic: ChartInput['traffic'] = [];
  for (const s of samples) {
    const last = traffic.at(-1);
    if (!last || (last.percent !== s.traffic && last.at !== s.at))
      traffic.push({ at: s.at, percent: s.traffic });
  }
  const lastSample = samples.at(-1);
  const lastPoint = traffic.at(-1);
  if (lastSample && lastPoint && lastPoint.at !== lastSample.at)
    traffic.push({ at: lastSample.at, percent: lastPoint.percent });
  return {
    title: `${release.service} ${release.version} → ${release.environment}`,
    subtitle: `${why} · gate readings against their thresholds, stage starts marked · times UTC`,
    gates,
    stages,
    traffic,
  };
}

/** Short enough to sit above a boundary line. */
export function shortLabel(stage: PlannedStage): string {
  switch (stage.kind) {
    case 'traffic':
      return `${stage.percent}%`;
    case 'run':
      return stage.action;
    case 'approval':
      return 'approval';
    case 'smoke':
      return 'smoke';
    default:
      return stage.kind;
  }
}
