// Effects that are themselves Redis writes, done by the save that decided them instead of going
// through the outbox: arming the next gate samples, keeping a gate sample for the chart, and the
// coalesced refresh of a card whose readings changed. One script, so they are exactly as durable as
// the decision and cost no outbox claim, dispatch and release per gate sample.
import type { StoreKeys } from './keys.ts';

export interface InlineWrites {
  /** Gate samples to arm in the gate schedule (a member already armed keeps its due time). */
  arms: { member: string; dueMs: number }[];
  /** Gate samples kept for the release's chart (insight/samples.ts rows). */
  samples: { row: string; atMs: number }[];
  /** When the card's coalesced refresh is due (one already waiting keeps its time), or null. */
  cardDueMs: number | null;
  /**
   * The claimed gate sample this save answers: removed by the same step that arms the next, so the
   * schedule never holds both (the sampler's own removal after it is then a no-op).
   */
  answered?: string;
}

export const NO_INLINE_WRITES: InlineWrites = Object.freeze({ arms: [], samples: [], cardDueMs: null });

/** The kept samples of a release: the oldest drop past `kept` (hours of 30 s sampling over several gates). */
export const SAMPLE_CAP = Object.freeze({ kept: 4000, ttlSeconds: 45 * 24 * 3600 });

/** The keys and the arguments of save-release.lua's inline part (see its header). */
export function inlineArgs(
  keys: StoreKeys,
  releaseId: string,
  inline: InlineWrites,
): { keys: string[]; args: string[] } {
  return {
    keys: [keys.gateSchedule(), keys.gateSamples(releaseId), keys.cardRefreshes()],
    args: [
      inline.cardDueMs === null ? '' : String(inline.cardDueMs),
      String(SAMPLE_CAP.kept),
      String(SAMPLE_CAP.ttlSeconds),
      inline.answered ?? '',
      String(inline.arms.length),
      ...inline.arms.flatMap((a) => [String(a.dueMs), a.member]),
      String(inline.samples.length),
      ...inline.samples.flatMap((s) => [String(s.atMs), s.row]),
    ],
  };
}
