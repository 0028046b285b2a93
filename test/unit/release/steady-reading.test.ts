// The sampler's shortcut (steadyReading) against the machine: at every gate sample of whole simulated
// releases (calm, breaches short and sustained, no data under each policy, two gates, a pause, the
// hold's end), a sample the shortcut calls steady must be one the machine only records and re-arms:
// the same new reading (seq aside), a card edit and the next sample as its only effects, nothing else
// in the release changed. Samples it does not call steady go through the machine, so those only
// cost time; the calm runs check that most samples of a hold take the shortcut.
import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/release/machine.ts';
import { steadyReading } from '../../../src/release/steady-reading.ts';
import type { DecideResult, Release, ReleaseEvent, ReleasePlan } from '../../../src/release/types.ts';
import { Simulator, type SimOptions } from '../../helpers/simulate.ts';
import { startRelease } from '../../../src/release/machine.ts';
import { canaryStages, gate, makePlan } from '../../helpers/plan.ts';
import { MIN, approve, input, isFinal } from './machine-fixture.ts';

class Checked extends Simulator {
  steady = 0;
  decided = 0;

  override send(event: ReleaseEvent): DecideResult {
    if (event.type === 'gateSampled') this.check(this.release, event);
    return super.send(event);
  }

  private check(before: Release, e: Extract<ReleaseEvent, { type: 'gateSampled' }>): void {
    const now = new Date(this.now);
    const reading = steadyReading(before, e, now);
    if (!reading) {
      this.decided += 1;
      return;
    }
    this.steady += 1;
    const result = decide(before, e, now);
    expect(result.refused).toBe(false);
    if (result.refused) return;
    expect(result.effects).toEqual([
      { type: 'updateCard' },
      {
        type: 'scheduleGateSample',
        gate: e.gate,
        epoch: e.epoch,
        seq: e.seq + 1,
        delayMs: expect.any(Number),
      },
    ]);
    expect(result.release.gates[e.gate]).toEqual({ ...reading, seq: e.seq + 1 });
    const rest = (r: Release) => ({ ...r, gates: { ...r.gates, [e.gate]: null }, updatedAt: null });
    expect(rest(result.release)).toEqual(rest(before));
  }
}

function run(plan: ReleasePlan, opts: SimOptions, until: (r: Release) => boolean, pauseAt?: number): Checked {
  const s = new Checked(startRelease(input(plan), new Date('2026-11-24T18:00:00Z')), opts);
  approve(s);
  if (pauseAt !== undefined) {
    s.advance(pauseAt);
    s.send({ type: 'pauseRequested', actor: { user: 'UOPS' } });
    s.advance(10 * MIN);
    s.send({ type: 'resumeRequested', actor: { user: 'UOPS' } });
  }
  s.runUntil(until);
  return s;
}

const everySecond = (over: Parameters<typeof gate>[1] = {}) =>
  gate('error_rate', { everyMs: 1000, forMs: 60_000, ...over });
const atPromote = (r: Release) => r.stages[3]?.phase === 'approval' || isFinal(r);

const cases: {
  name: string;
  plan: ReleasePlan;
  opts: SimOptions;
  pauseAt?: number;
  mostlySteady?: number;
}[] = [
  {
    name: 'calm',
    plan: makePlan({ gates: { error_rate: everySecond() } }),
    opts: { metric: () => 0.001 },
    mostlySteady: 0.95,
  },
  {
    name: 'a short breach',
    plan: makePlan({ gates: { error_rate: everySecond() } }),
    opts: { metric: (t) => (t > 10 * MIN && t < 10 * MIN + 30_000 ? 0.05 : 0.001) },
  },
  {
    name: 'a sustained breach',
    plan: makePlan({ gates: { error_rate: everySecond() } }),
    opts: { metric: (t) => (t > 12 * MIN ? 0.05 : 0.001) },
  },
  {
    name: 'a value on the bound',
    plan: makePlan({ gates: { error_rate: everySecond({ min: 0.001, max: 0.005 }) } }),
    opts: { metric: (t) => (Math.floor(t / 1000) % 3 === 0 ? 0.005 : 0.001) },
  },
  ...(['breach', 'ignore', 'wait'] as const).map((noData) => ({
    name: `no data now and then, no_data: ${noData}`,
    plan: makePlan({ gates: { error_rate: everySecond({ noData, noDataTimeoutMs: 20 * MIN }) } }),
    opts: { metric: (t: number) => (t > 8 * MIN && t < 9 * MIN ? null : 0.001) },
  })),
  {
    name: 'two gates, one waiting for data',
    plan: makePlan({
      gates: {
        error_rate: everySecond(),
        latency: gate('latency', { everyMs: 2000, max: 300, noData: 'wait', noDataTimeoutMs: 30 * MIN }),
      },
      stages: canaryStages.map((s) => (s.gates.length > 0 ? { ...s, gates: ['error_rate', 'latency'] } : s)),
    }),
    opts: {
      metric: (t, g) => (g === 'latency' ? (t > 9 * MIN && t < 11 * MIN ? null : 120) : 0.001),
    },
  },
  {
    name: 'paused and resumed in the hold',
    plan: makePlan({ gates: { error_rate: everySecond() } }),
    opts: { metric: () => 0.001 },
    pauseAt: 8 * MIN,
    // The 10 minutes paused are decided by the machine (a paused release is never steady).
    mostlySteady: 0.85,
  },
  {
    name: 'on_breach: pause',
    plan: makePlan({ onBreach: 'pause', gates: { error_rate: everySecond() } }),
    opts: { metric: (t) => (t > 12 * MIN ? 0.05 : 0.001) },
  },
];

describe('steady readings agree with the machine', () => {
  it.each(cases)('$name', ({ plan, opts, pauseAt, mostlySteady }) => {
    const s = run(plan, opts, atPromote, pauseAt);
    expect(s.steady + s.decided).toBeGreaterThan(100);
    if (mostlySteady) expect(s.steady / (s.steady + s.decided)).toBeGreaterThan(mostlySteady);
  });

  it('is not steady for a stale sample, a paused release, or the first sample of a gate', () => {
    const s = run(
      makePlan({ gates: { error_rate: everySecond() } }),
      { metric: () => 0.001 },
      (r) => (r.gates.error_rate?.samples ?? 0) > 3,
    );
    const r = s.release;
    const g = r.gates.error_rate!;
    const at = new Date(s.now);
    const sample = { gate: 'error_rate', epoch: r.epoch, seq: g.seq, value: 0.001 };
    expect(steadyReading(r, sample, at)).not.toBeNull();
    expect(steadyReading(r, { ...sample, seq: g.seq - 1 }, at)).toBeNull();
    expect(steadyReading(r, { ...sample, epoch: r.epoch + 1 }, at)).toBeNull();
    expect(steadyReading({ ...r, state: 'paused' }, sample, at)).toBeNull();
    expect(steadyReading(r, { ...sample, value: 0.05 }, at)).toBeNull();
    expect(steadyReading(r, { ...sample, value: null, error: 'timeout' }, at)).toBeNull();
    expect(steadyReading({ ...r, gates: { error_rate: { ...g, samples: 0 } } }, sample, at)).toBeNull();
    const stages = r.stages.map((st, i) => (i === r.stageIndex ? { ...st, holdElapsed: true } : st));
    expect(steadyReading({ ...r, stages }, sample, at)).toBeNull();
  });
});
