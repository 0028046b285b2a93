// What the insight jobs say in a release thread, as data: the words, emoji and mrkdwn are chosen by
// src/slack/views/insight.ts, and the posts go through the Slack delivery layer like every thread line.
export type ChartWhy = 'breach' | 'completed';

export type InsightNote =
  /** The changelog could not be listed (a missing tag, an unreachable API): said once. */
  | { kind: 'noChangelog'; reason: string }
  /** The comment under a canary chart; a breach chart says how the release stopped, and why. */
  | {
      kind: 'canaryChart';
      why: ChartWhy;
      service: string;
      version: string;
      environment: string;
      stopped?: { how: 'rollback' | 'pause'; reason: string };
      samples: number;
    };

export type ChartNote = Extract<InsightNote, { kind: 'canaryChart' }>;

/** The release fields a chart note is made of. */
export interface ChartOf {
  id: string;
  service: string;
  version: string;
  environment: string;
  rollback?: { automatic: boolean; reason: string };
  pause?: { reason: string };
}

export function chartNote(release: ChartOf, why: ChartWhy, samples: number): ChartNote {
  const stopped =
    why !== 'breach'
      ? undefined
      : release.rollback?.automatic
        ? { how: 'rollback' as const, reason: release.rollback.reason }
        : release.pause
          ? { how: 'pause' as const, reason: release.pause.reason }
          : undefined;
  return {
    kind: 'canaryChart',
    why,
    service: release.service,
    version: release.version,
    environment: release.environment,
    ...(stopped ? { stopped } : {}),
    samples,
  };
}

/** The chart's own subtitle (plain text, drawn into the image). */
export function chartSubtitle(note: ChartNote): string {
  if (note.why === 'completed') return `Live in ${note.environment}`;
  if (!note.stopped) return 'Gate breach';
  return `${note.stopped.how === 'rollback' ? 'Rolled back' : 'Paused'}: ${note.stopped.reason}`;
}
