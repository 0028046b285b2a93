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
 * `clockMs` is the engine's clock (card windows), `wallMs` the wall clock: due sets are claimed by
 * the wall clock, so a delay is added to it.
 */
export function splitInline(
  releaseId: string,
  effects: readonly OutboxEffect[],
  clockMs: number,
  wallMs: number,
): { inline: InlineWrites; outbox: OutboxEffect[] } {
  const inline: InlineWrites = { arms: [], samples: [], cardDueMs: null };
  const outbox: OutboxEffect[] = [];
  for (const effect of effects) {
    if (effect.type === 'scheduleGateSample') {
      const ref = { releaseId, gate: effect.gate, epoch: effect.epoch, seq: effect.seq };
      inline.arms.push({ member: sampleMember(ref), dueMs: wallMs + effect.delayMs });
    } else if (effect.type === 'keepSample') {
      inline.samples.push(sampleRow(effect.sample));
    } else {
      outbox.push(effect);
    }
  }
  if (outbox.length > 0 && outbox.every((e) => e.type === 'updateCard')) {
    inline.cardDueMs = wallMs + (cardWindowEnd(clockMs) - clockMs);
    return { inline, outbox: [] };
  }
  return { inline, outbox };
}
