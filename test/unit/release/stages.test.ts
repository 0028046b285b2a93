import { describe, expect, it } from 'vitest';
import { makePlan } from '../../helpers/plan.ts';
import { MIN, approve, isFinal, sim } from './machine-fixture.ts';

describe('release machine: stages', () => {
  it('runs pre-flight, two approvals, every stage in order, and hands off', () => {
    const s = sim();
    expect(s.release.state).toBe('preflight');
    expect(s.ran).toEqual(['preflight:ci']);
    approve(s);
    expect(s.release.state).toBe('running');
    s.runUntil((r) => r.stages[3]?.phase === 'approval');
    expect(s.release.traffic).toBe(50);
    s.send({ type: 'promoteRequested', actor: { user: 'UBOB' } });
    s.runUntil(isFinal);
    expect(s.release.state).toBe('completed');
    expect(s.ran).toEqual(['preflight:ci', 'deploy', 'traffic:10', 'traffic:50', 'traffic:100', 'smoke']);
    expect(s.release.stages.map((st) => st.status)).toEqual(Array(7).fill('done'));
    expect(s.release.traffic).toBe(100);
    const kinds = s.effects.map((e) => e.type);
    expect(kinds).toContain('postHandoff');
    expect(kinds).toContain('releaseLock');
    expect(s.effects).toContainEqual({ type: 'recordDeployed', version: 'v1.2.3' });
    // 30m + 1h + 30m of holds and a bit of action time: the holds were really waited.
    expect(s.now - s.t0).toBeGreaterThanOrEqual(120 * MIN);
    expect(s.refusals).toEqual([]);
  });

  it('posts stage starts and ends in the thread, not every gate sample', () => {
    const s = sim();
    approve(s);
    s.runUntil((r) => r.stages[3]?.phase === 'approval');
    const samples = s.effects.filter((e) => e.type === 'scheduleGateSample').length;
    expect(samples).toBeGreaterThan(100); // every 30 s for 1h30
    const posts = s.posts();
    expect(posts.filter((p) => /^:arrow_forward: Stage \d\/7 started/.test(p)).length).toBe(4);
    expect(posts.length).toBeLessThan(20);
  });

  it('starts at once without pre-flight or approvals when the plan needs none', () => {
    const plan = makePlan({
      preflight: [],
      approvals: { required: 0, approvers: [], operators: [], allowSelfApproval: false },
    });
    const s = sim(plan);
    expect(s.release.state).toBe('running');
    expect(s.ran).toEqual(['deploy']);
  });

  it('with on_breach: pause, a failed action pauses and resume retries the stage', () => {
    let fail = true;
    const s = sim(makePlan({ onBreach: 'pause' }), { actionOk: (a) => !(a === 'deploy' && fail) });
    approve(s);
    s.runUntil((r) => r.state === 'paused');
    expect(s.release.pause?.reason).toMatch(/deploy failed/);
    fail = false;
    s.send({ type: 'resumeRequested', actor: { user: 'UALICE' } });
    s.runUntil((r) => r.stageIndex === 1);
    expect(s.ran.filter((a) => a === 'deploy')).toHaveLength(2);
    expect(s.release.stages[0]?.attempt).toBe(2);
  });
});
