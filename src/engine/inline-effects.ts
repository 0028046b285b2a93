// Which of a decision's effects its save writes itself (pure; see store/inline-writes.ts): the next
// gate samples, the samples kept for the chart, and — when the only other effect is a card edit (steady
// gate readings) — the card's coalesced refresh at the end of its window. Everything else goes to the
// outbox as before, in order.
import type { OutboxEffect } from '../store/outbox.ts';
import type { InlineWrites } from '../store/inline-writes.ts';
import { sampleMember } from '../store/gate-schedule.ts';
import { sampleRow } from '../insight/samples.ts';

/**
 * Card-only changes (steady gate readings) are batched into windows this long: fresh enough to
 * watch, and far fewer renders than samples; with Slack the edits then share the workspace's
 * chat.update budget (slack/delivery/cards.ts).
 */
export const CARD_WINDOW_MS = 5000;

/** When the window holding `nowMs` ends (windows are cut from the engine's clock). */
export function cardWindowEnd(nowMs: number): number {
  return (Math.floor(nowMs / CARD_WINDOW_MS) + 1) * CARD_WINDOW_MS;
}

/**
 * When a card's coalesced refresh is due, on the wall clock (due sets are claimed by it): the end of
 * the window the engine's clock (`clockMs`) is in.
 */
export function cardRefreshDueMs(clockMs: number, wallMs: number): number {
  return wallMs + (cardWindowEnd(clockMs) - clockMs);
}

/**
 * The first tick of a gate's cadence (due + k·every, k ≥ 1) not behind `nowMs`: a sample taken a
 * little late does not push the next one back, and one slower than `every` skips the ticks it missed.
 */
export function nextTick(dueMs: number, everyMs: number, nowMs: number): number {
  if (everyMs <= 0) return nowMs;
  return dueMs + Math.max(1, Math.ceil((nowMs - dueMs) / everyMs)) * everyMs;
}

/** The gate sample being applied and when it was due: its gate's next sample keeps the cadence. */
export interface Cadence {
  gate: string;
  dueMs: number;
  /** Its claim in the gate schedule: the save removes it as it arms the next. */
  member?: string;
}

/**
 * `clockMs` is the engine's clock (card windows), `wallMs` the wall clock: due sets are claimed by
 * the wall clock, so a delay is added to it (or, with `cadence`, to when that sample was due).
 */
export function splitInline(
  releaseId: string,
  effects: readonly OutboxEffect[],
  clockMs: number,
  wallMs: number,
  cadence?: Cadence,
): { inline: InlineWrites; outbox: OutboxEffect[] } {
  const inline: InlineWrites = {
    arms: [],
    samples: [],
    cardDueMs: null,
    ...(cadence?.member ? { answered: cadence.member } : {}),
  };
  const outbox: OutboxEffect[] = [];
  for (const effect of effects) {
    if (effect.type === 'scheduleGateSample') {
      const ref = { releaseId, gate: effect.gate, epoch: effect.epoch, seq: effect.seq };
      const dueMs =
        cadence?.gate === effect.gate && effect.delayMs > 0
          ? nextTick(cadence.dueMs, effect.delayMs, wallMs)
          : wallMs + effect.delayMs;
      inline.arms.push({ member: sampleMember(ref), dueMs });
    } else if (effect.type === 'keepSample') {
      inline.samples.push(sampleRow(effect.sample));
    } else {
      outbox.push(effect);
    }
  }
  if (outbox.length > 0 && outbox.every((e) => e.type === 'updateCard')) {
    inline.cardDueMs = cardRefreshDueMs(clockMs, wallMs);
    return { inline, outbox: [] };
  }
  return { inline, outbox };
}
