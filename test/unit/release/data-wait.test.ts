// `no_data: wait`: the hold clock's arithmetic, on the simulator's virtual clock.
import { describe, expect, it } from 'vitest';
import { gate, makePlan } from '../../helpers/plan.ts';
import { MIN, approve, isFinal, sim } from './machine-fixture.ts';
import { gatesWithoutData } from '../../../src/release/data-wait.ts';
import type { Simulator } from '../../helpers/simulate.ts';

const plan = makePlan({
  gates: { error_rate: gate('error_rate', { noData: 'wait', noDataTimeoutMs: 10 * MIN }) },
});

/** When the 10% hold begins (ms after start): the same in every run, the machine being pure. */
function holdBegins(): number {
  const s = sim(plan, { metric: () => 0.001 });
  approve(s);
  s.runUntil((r) => r.stageIndex === 1 && r.stages[1]?.phase === 'hold');
  return s.now - s.t0;
}

/** A release whose gate has no data during the given spans (ms after the 10% hold began). */
function scenario(gaps: [number, number][]): { s: Simulator; holdStart: number } {
  const begins = holdBegins();
  // The simulator reads the metric when it schedules the sample job.
  const s = sim(plan, {
    metric: (t) => (gaps.some(([a, b]) => t - begins >= a && t - begins < b) ? null : 0.001),
  });
  approve(s);
  s.runUntil((r) => r.stageIndex === 1 && r.stages[1]?.phase === 'hold');
  expect(s.now - s.t0).toBe(begins);
  return { s, holdStart: s.now };
}

const holdDone = (s: Simulator) => s.release.stages[1]?.status !== 'running';
const endedAfter = (s: Simulator, holdStart: number) => Date.parse(s.release.stages[1]!.endedAt!) - holdStart;

describe('no_data: wait', () => {
  it('runs the hold as usual while data flows', () => {
    const { s, holdStart } = scenario([]);
    s.runUntil(() => holdDone(s));
    expect(endedAfter(s, holdStart)).toBe(30 * MIN);
  });

  it('stops the clock while there is no data and resumes it when data returns', () => {
    const { s, holdStart } = scenario([[0, 4 * MIN]]);
    s.advance(2 * MIN);
    expect(gatesWithoutData(s.release)).toEqual(['error_rate']);
    expect(s.release.stages[1]?.holdEndsAt).toBeUndefined();
    expect(s.release.stages[1]?.holdRemainingMs).toBe(30 * MIN);
    expect(s.release.state).toBe('running');
    s.runUntil(() => holdDone(s));
    expect(s.release.stages[1]?.status).toBe('done');
    // 30 minutes of clock plus the 4 minutes without data (samples every 30s).
    expect(endedAfter(s, holdStart)).toBe(34 * MIN);
    const posts = s.posts();
    expect(posts.filter((p) => p.includes('Waiting for data from *error_rate*'))).toHaveLength(1);
    expect(posts.some((p) => p.includes('Data from *error_rate* is back after 4m'))).toBe(true);
    expect(s.ran).not.toContain('rollback');
  });

  it('stops the clock again for a gap in the middle of the hold', () => {
    const { s, holdStart } = scenario([[10 * MIN, 13 * MIN]]);
    s.runUntil(() => holdDone(s));
    expect(endedAfter(s, holdStart)).toBe(33 * MIN);
  });

  it('is a breach after no_data_timeout without data, and says so', () => {
    const { s, holdStart } = scenario([[0, Number.POSITIVE_INFINITY]]);
    s.runUntil(isFinal);
    expect(s.release.state).toBe('rolled_back');
    expect(Date.parse(s.release.rollback!.at) - holdStart).toBe(10 * MIN);
    expect(s.release.rollback?.reason).toMatch(/gate error_rate: no data for 10m/);
    expect(s.posts().some((p) => p.includes('no data for 10m (no_data_timeout): that is a breach'))).toBe(
      true,
    );
    expect(s.audits()).toContain('gate.no_data_timeout');
  });

  it('a pause during the gap keeps the clock stopped until resume', () => {
    // No data 0–4m; paused 2m–6m: the clock starts at 6m.
    const { s, holdStart } = scenario([[0, 4 * MIN]]);
    s.advance(2 * MIN);
    s.send({ type: 'pauseRequested', actor: { user: 'UALICE' } });
    s.advance(4 * MIN);
    expect(s.release.stages[1]?.holdEndsAt).toBeUndefined(); // data is back, but still paused
    s.send({ type: 'resumeRequested', actor: { user: 'UALICE' } });
    expect(s.release.stages[1]?.holdEndsAt).toBeDefined();
    s.runUntil(() => holdDone(s));
    expect(endedAfter(s, holdStart)).toBe(36 * MIN);
  });

  it('resume does not restart the clock while data is still missing', () => {
    // Data 0–5m, paused 5m–8m, no data 6m–9m: the clock runs 0–5m and from 9m.
    const { s, holdStart } = scenario([[6 * MIN, 9 * MIN]]);
    s.advance(5 * MIN);
    s.send({ type: 'pauseRequested', actor: { user: 'UALICE' } });
    s.advance(3 * MIN);
    s.send({ type: 'resumeRequested', actor: { user: 'UALICE' } });
    expect(s.release.state).toBe('running');
    expect(s.release.stages[1]?.holdEndsAt).toBeUndefined();
    expect(s.release.stages[1]?.holdRemainingMs).toBe(25 * MIN);
    s.runUntil(() => holdDone(s));
    expect(endedAfter(s, holdStart)).toBe(34 * MIN);
  });

  it('promote still skips the rest of the hold while waiting for data', () => {
    const { s } = scenario([[0, Number.POSITIVE_INFINITY]]);
    s.advance(2 * MIN);
    const result = s.send({ type: 'promoteRequested', actor: { user: 'UALICE' }, stageIndex: 1 });
    expect(result.refused).toBe(false);
    expect(s.release.stages[1]?.status).toBe('done');
    expect(s.release.stageIndex).toBe(2);
    expect(s.audits()).toContain('stage.promoted');
    expect(s.posts().some((p) => /promoted by <@UALICE>.*30m/.test(p))).toBe(true);
  });
});

describe('no_data: wait past the timeout, under on_breach: pause', () => {
  const pausePlan = makePlan({
    onBreach: 'pause',
    gates: { error_rate: gate('error_rate', { noData: 'wait', noDataTimeoutMs: 10 * MIN }) },
  });

  /** At the 10% hold, the gate's data gone for good. */
  function dataGone(): Simulator {
    let gone = false;
    const s = sim(pausePlan, { metric: () => (gone ? null : 0.001) });
    approve(s);
    s.runUntil((r) => r.stageIndex === 1 && r.stages[1]?.phase === 'hold');
    gone = true;
    return s;
  }
  const timeoutPosts = (s: Simulator) => s.posts().filter((p) => p.includes('(no_data_timeout)'));

  it('a resume with the data still missing pauses again, as a sustained breach does', () => {
    const s = dataGone();
    s.advance(11 * MIN);
    expect(s.release.pause?.by).toBe('runway');
    expect(timeoutPosts(s)).toHaveLength(1);
    s.advance(5 * MIN); // paused: the samples without data change nothing
    expect(timeoutPosts(s)).toHaveLength(1);
    s.send({ type: 'resumeRequested', actor: { user: 'UALICE' } });
    s.advance(1 * MIN);
    expect(s.release.state).toBe('paused');
    expect(s.release.pause?.reason).toMatch(/gate error_rate: no data for 10m/);
    expect(timeoutPosts(s)).toHaveLength(2);
  });

  it('a timeout that passed during a manual pause is a breach once resumed', () => {
    const s = dataGone();
    s.advance(2 * MIN);
    s.send({ type: 'pauseRequested', actor: { user: 'UALICE' } });
    s.advance(12 * MIN);
    expect(s.release.pause?.by).toBe('UALICE');
    s.send({ type: 'resumeRequested', actor: { user: 'UALICE' } });
    s.advance(1 * MIN);
    expect(s.release.state).toBe('paused');
    expect(s.release.pause?.by).toBe('runway');
    expect(s.audits()).toContain('gate.no_data_timeout');
  });
});

describe('no_data: wait in the middle of a breach', () => {
  it('neither ends the breach nor calls the gate back within bounds', () => {
    const forPlan = makePlan({
      gates: {
        error_rate: gate('error_rate', { noData: 'wait', noDataTimeoutMs: 10 * MIN, forMs: 5 * MIN }),
      },
    });
    let now: 'bad' | 'none' = 'bad';
    const s = sim(forPlan, { metric: () => (now === 'bad' ? 0.1 : null) });
    approve(s);
    s.runUntil((r) => r.stageIndex === 1 && r.stages[1]?.phase === 'hold');
    s.advance(3 * MIN); // out of bounds for 3 of the 5 minutes allowed
    now = 'none';
    s.advance(1 * MIN);
    expect(s.posts().some((p) => p.includes('back within bounds'))).toBe(false);
    now = 'bad';
    s.runUntil(isFinal);
    expect(s.release.state).toBe('rolled_back');
    // The breach went on from its first sample: 5m after it, not 5m after the data came back.
    expect(Date.parse(s.release.rollback!.at) - Date.parse(s.release.stages[1]!.startedAt!)).toBeLessThan(
      6 * MIN,
    );
  });
});
