import { describe, expect, it } from 'vitest';
import { gate, makePlan } from '../../helpers/plan.ts';
import { MIN, approve, isFinal, sim } from './machine-fixture.ts';

describe('release machine: gates', () => {
  it('rolls back when the error rate stays above 0.5% for 5 minutes', () => {
    // Bad from 10 minutes into the release: after deploy, during the 10% hold.
    const s = sim(undefined, { metric: (t) => (t > 10 * MIN ? 0.05 : 0.001) });
    approve(s);
    s.runUntil(isFinal);
    expect(s.release.state).toBe('rolled_back');
    expect(s.ran).toEqual(['preflight:ci', 'deploy', 'traffic:10', 'traffic', 'rollback']);
    const rollback = s.effects.filter((e) => e.type === 'runAction' && e.purpose.kind === 'rollback');
    expect(rollback.map((e) => e.type === 'runAction' && e.vars)).toEqual([{ percent: 0 }, {}]);
    expect(s.release.traffic).toBe(0);
    expect(s.release.rollback?.reason).toMatch(/error_rate: 0\.05 > max 0\.005 for 5m/);
    expect(s.release.rollback?.automatic).toBe(true);
    expect(s.release.stages[1]?.status).toBe('failed');
    expect(s.effects).toContainEqual(expect.objectContaining({ type: 'declareIncident', severity: 'sev2' }));
    expect(s.effects).not.toContainEqual(expect.objectContaining({ type: 'postHandoff' }));
    expect(s.posts().some((p) => p.includes('Automatic rollback to v1.2.2'))).toBe(true);
  });

  it('does not roll back a breach shorter than `for`', () => {
    // 3 minutes out of bounds, then back: below the 5-minute `for`.
    const s = sim(undefined, { metric: (t) => (t > 10 * MIN && t < 13 * MIN ? 0.05 : 0.001) });
    approve(s);
    s.runUntil((r) => r.stages[3]?.phase === 'approval');
    expect(s.release.state).toBe('running');
    expect(s.posts().some((p) => p.includes('out of bounds'))).toBe(true);
    expect(s.posts().some((p) => p.includes('back within bounds'))).toBe(true);
    expect(s.ran).not.toContain('rollback');
  });

  it('rolls back at once on a breach when `for` is 0', () => {
    const plan = makePlan({ gates: { error_rate: gate('error_rate', { forMs: 0 }) } });
    const s = sim(plan, { metric: (t) => (t > 5 * MIN ? 0.05 : 0.001) });
    approve(s);
    s.runUntil(isFinal);
    expect(s.release.state).toBe('rolled_back');
  });

  it('treats no data as a breach by default and ignores it with no_data: ignore', () => {
    const breach = sim(undefined, { metric: () => null });
    approve(breach);
    breach.runUntil(isFinal);
    expect(breach.release.state).toBe('rolled_back');
    expect(breach.release.rollback?.reason).toMatch(/no data/);

    const plan = makePlan({ gates: { error_rate: gate('error_rate', { noData: 'ignore' }) } });
    const ignore = sim(plan, { metric: () => null });
    approve(ignore);
    ignore.runUntil((r) => r.stages[3]?.phase === 'approval');
    expect(ignore.release.state).toBe('running');
  });

  it('with no_data: ignore, a sample without data neither ends a breach nor restarts its `for`', () => {
    // Out of bounds from minute 10, every other sample without data: still a 5-minute breach.
    const plan = makePlan({ gates: { error_rate: gate('error_rate', { noData: 'ignore' }) } });
    let n = 0;
    const s = sim(plan, { metric: (t) => (t > 10 * MIN ? (n++ % 2 === 0 ? 0.05 : null) : 0.001) });
    approve(s);
    s.runUntil(isFinal);
    expect(s.release.state).toBe('rolled_back');
    expect(s.release.rollback?.reason).toMatch(/error_rate: 0\.05 > max 0\.005 for 5m/);
    expect(s.posts().some((p) => p.includes('back within bounds'))).toBe(false);
  });

  it('applies min as a lower bound', () => {
    const plan = makePlan({
      gates: { error_rate: gate('success_rate', { max: undefined, min: 0.99, forMs: 0 }) },
    });
    const s = sim(plan, { metric: (t) => (t > 5 * MIN ? 0.9 : 0.999) });
    approve(s);
    s.runUntil(isFinal);
    expect(s.release.rollback?.reason).toMatch(/0\.9 < min 0\.99/);
  });

  it('with on_breach: pause, pauses and says why instead of rolling back', () => {
    const s = sim(makePlan({ onBreach: 'pause' }), { metric: (t) => (t > 10 * MIN ? 0.05 : 0.001) });
    approve(s);
    s.runUntil((r) => r.state === 'paused');
    expect(s.release.pause?.by).toBe('runway');
    expect(s.release.pause?.reason).toMatch(/error_rate: 0\.05 > max 0\.005/);
    s.advance(3 * 3600_000);
    expect(s.release.state).toBe('paused'); // stays paused, gates keep reporting
    expect(s.ran).not.toContain('rollback');
  });

  it('waits at the end of a hold while a gate is out of bounds, then goes on when it recovers', () => {
    // Out of bounds from minute 29 to 32: the 10% hold ends at ~31m while breaching (for is 5m).
    const s = sim(undefined, { metric: (t) => (t > 29 * MIN && t < 33 * MIN ? 0.05 : 0.001) });
    approve(s);
    s.runUntil((r) => r.stages[1]?.holdElapsed === true);
    expect(s.release.stageIndex).toBe(1);
    s.runUntil((r) => r.stageIndex === 2);
    expect(s.release.state).toBe('running');
    expect(s.posts().some((p) => p.includes('hold is over but error_rate'))).toBe(true);
  });

  it('a breach still rolls back while paused', () => {
    const s = sim(undefined, { metric: (t) => (t > 20 * MIN ? 0.05 : 0.001) });
    approve(s);
    s.runUntil((r) => r.stageIndex === 1 && r.stages[1]?.phase === 'hold');
    s.send({ type: 'pauseRequested', actor: { user: 'UALICE' } });
    s.runUntil(isFinal);
    expect(s.release.state).toBe('rolled_back');
  });
});
