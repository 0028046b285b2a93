// Which effects a save writes itself (the next gate samples, kept samples, a readings-only card
// refresh) and which still go through the outbox, and the gate cadence the next sample keeps.
import { describe, expect, it } from 'vitest';
import { cardWindowEnd, nextTick, splitInline } from '../../../src/engine/inline-effects.ts';
import type { OutboxEffect } from '../../../src/store/outbox.ts';

const arm = (gate: string, seq: number, delayMs: number): OutboxEffect => ({
  type: 'scheduleGateSample',
  gate,
  epoch: 2,
  seq,
  delayMs,
});
const keep: OutboxEffect = {
  type: 'keepSample',
  sample: {
    gate: 'err',
    at: '2026-12-02T00:00:01.000Z',
    value: 0.1,
    verdict: 'ok',
    stageIndex: 1,
    traffic: 10,
  },
};
const card: OutboxEffect = { type: 'updateCard' };
const post: OutboxEffect = { type: 'postInThread', note: { kind: 'preflightComplete' } };
const hold: OutboxEffect = { type: 'scheduleHoldEnd', stageIndex: 1, epoch: 2, seq: 1, delayMs: 60_000 };

describe('nextTick', () => {
  it.each([
    // due, every, now → next
    [1000, 1000, 1030, 2000], // a little late: the cadence holds
    [1000, 1000, 1000, 2000], // on time
    [1000, 1000, 2000, 2000], // exactly one period late: due now
    [1000, 1000, 3500, 4000], // slower than `every`: the missed ticks are skipped
    [1000, 0, 1500, 1500], // no period: now
  ])('due %i every %i at %i → %i', (due, every, now, next) => {
    expect(nextTick(due, every, now)).toBe(next);
  });
});

describe('cardWindowEnd', () => {
  it.each([
    [0, 5000],
    [4999, 5000],
    [5000, 10_000],
    [12_345, 15_000],
  ])('%i → %i', (now, end) => expect(cardWindowEnd(now)).toBe(end));
});

describe('splitInline', () => {
  const wall = 1_000_000;
  const clock = 12_345; // the engine's clock may differ from the wall clock (tests, skew)

  it('a steady sample: next sample, kept sample and card refresh all inline, nothing in the outbox', () => {
    const { inline, outbox } = splitInline('r1', [card, arm('err', 5, 1000), keep], clock, wall);
    expect(outbox).toEqual([]);
    expect(inline.arms).toEqual([{ member: 'r1/err/2/5', dueMs: wall + 1000 }]);
    expect(inline.samples).toEqual([
      {
        row: JSON.stringify((keep as { sample: unknown }).sample),
        atMs: Date.parse('2026-12-02T00:00:01.000Z'),
      },
    ]);
    // Due at the end of the engine clock's window, counted on the wall clock.
    expect(inline.cardDueMs).toBe(wall + (15_000 - clock));
  });

  it.each([
    ['a thread post keeps the card edit with it, in order', [card, post, arm('err', 1, 0)], [card, post]],
    ['a hold timer stays in the outbox, and so does the card edit', [hold, card], [hold, card]],
    ['no card edit: nothing to refresh', [arm('err', 1, 0), hold], [hold]],
  ])('%s', (_what, effects, expected) => {
    const { inline, outbox } = splitInline('r1', effects as OutboxEffect[], clock, wall);
    expect(outbox).toEqual(expected);
    expect(inline.cardDueMs).toBeNull();
  });

  it('keeps the cadence of the gate that was sampled, not of the others', () => {
    const { inline } = splitInline(
      'r1',
      [arm('err', 6, 1000), arm('p99', 3, 1000), arm('new', 1, 0)],
      clock,
      wall,
      {
        gate: 'err',
        dueMs: wall - 40,
      },
    );
    expect(inline.arms).toEqual([
      { member: 'r1/err/2/6', dueMs: wall - 40 + 1000 },
      { member: 'r1/p99/2/3', dueMs: wall + 1000 },
      { member: 'r1/new/2/1', dueMs: wall },
    ]);
  });

  it('names the claim it answers only when the sampler gave one', () => {
    const effects = [arm('err', 6, 1000)];
    expect(splitInline('r1', effects, clock, wall).inline.answered).toBeUndefined();
    expect(
      splitInline('r1', effects, clock, wall, { gate: 'err', dueMs: wall }).inline.answered,
    ).toBeUndefined();
    const cadence = { gate: 'err', dueMs: wall, member: 'r1/err/2/5' };
    expect(splitInline('r1', effects, clock, wall, cadence).inline.answered).toBe('r1/err/2/5');
  });
});
