// When the sampler writes a steady reading without the machine: every sample of a card window but
// the last one due in it (by due time, however late it was taken), unless its claim is old or the
// release has not been saved for a whole window; and what that write holds.
import { describe, expect, it } from 'vitest';
import { steadyWrite } from '../../../jobs/steady-sample.ts';
import { CARD_WINDOW_MS } from '../../../src/engine/inline-effects.ts';
import type { Release } from '../../../src/release/types.ts';
import { sampleMember, type ClaimedSample } from '../../../src/store/gate-schedule.ts';
import { gate, makePlan } from '../../helpers/plan.ts';
import { approve, sim } from '../release/machine-fixture.ts';

const LEASE_MS = 30_000;
/** The start of a card window (windows are cut at multiples of CARD_WINDOW_MS). */
const W0 = 1_764_800_000_000;
const ok = { value: 0.001 };

/** A release in its first hold, sampled a few times (every 1 s), last saved `savedAt`. */
function holding(savedAt: number): Release {
  const s = sim(makePlan({ gates: { error_rate: gate('error_rate', { everyMs: 1000 }) } }), {
    metric: () => 0.001,
  });
  approve(s);
  s.runUntil((r) => (r.gates.error_rate?.samples ?? 0) >= 3);
  return { ...s.release, updatedAt: new Date(savedAt).toISOString() };
}

/** Its current sample, due `dueMs`, claimed at `claimedAt`. */
function claim(r: Release, dueMs: number, claimedAt: number): ClaimedSample {
  const ref = { releaseId: r.id, gate: 'error_rate', epoch: r.epoch, seq: r.gates.error_rate!.seq };
  return { ...ref, member: sampleMember(ref), dueMs, rev: r.rev, leaseEndMs: claimedAt + LEASE_MS };
}

/** Taken `lateMs` after due, on both clocks. */
function at(dueMs: number, lateMs: number) {
  const wallMs = dueMs + lateMs;
  return { now: new Date(wallMs), wallMs, leaseMs: LEASE_MS };
}

describe('steady writes', () => {
  it.each([
    { due: 0, lateMs: 0, steady: true },
    { due: 3000, lateMs: 0, steady: true },
    { due: 3990, lateMs: 900, steady: true },
    { due: 4000, lateMs: 0, steady: false }, // the window's last due: saved through the machine
    { due: 4500, lateMs: 600, steady: false }, // taken in the next window, still this window's last
    { due: 4999, lateMs: 0, steady: false },
  ])('due $due ms into a window, taken $lateMs ms late: steady $steady', ({ due, lateMs, steady }) => {
    const clock = at(W0 + due, lateMs);
    const r = holding(W0);
    const got = steadyWrite(clock, r, claim(r, W0 + due, clock.wallMs), ok);
    expect(got !== null).toBe(steady);
  });

  it('holds the reading, the same member a tick later, the chart point and the card refresh', () => {
    const clock = at(W0 + 1000, 40);
    const r = holding(W0);
    const c = claim(r, W0 + 1000, clock.wallMs);
    const got = steadyWrite(clock, r, c, ok)!;
    const before = r.gates.error_rate!;
    expect(got.reading).toMatchObject({ value: 0.001, verdict: 'ok', samples: before.samples + 1 });
    expect(got.reading.seq).toBe(before.seq);
    expect(got.entry).toEqual({
      releaseId: r.id,
      rev: r.rev,
      member: c.member,
      leaseEndMs: c.leaseEndMs,
      nextDueMs: W0 + 2000,
      sample: { atMs: W0 + 1040, row: expect.any(String) },
      samples: before.samples + 1,
      cardDueMs: W0 + CARD_WINDOW_MS,
    });
    expect(JSON.parse(got.entry.sample.row)).toEqual({
      gate: 'error_rate',
      at: new Date(W0 + 1040).toISOString(),
      value: 0.001,
      verdict: 'ok',
      stageIndex: r.stageIndex,
      traffic: r.traffic,
    });
  });

  it('leaves to the machine an old claim, a release unsaved for a window, or a breach', () => {
    const clock = at(W0 + 1000, 0);
    const r = holding(W0);
    expect(steadyWrite(clock, r, claim(r, W0 + 1000, clock.wallMs - LEASE_MS / 4 - 1), ok)).toBeNull();
    expect(
      steadyWrite(clock, holding(W0 + 1000 - CARD_WINDOW_MS), claim(r, W0 + 1000, clock.wallMs), ok),
    ).toBeNull();
    expect(steadyWrite(clock, r, claim(r, W0 + 1000, clock.wallMs), { value: 0.5 })).toBeNull();
    expect(steadyWrite(clock, r, claim(r, W0 + 1000, clock.wallMs), ok)).not.toBeNull();
  });
});
