import { describe, expect, it } from 'vitest';
import { decide, startRelease, startRollbackRelease, type StartInput } from '../../../src/release/machine.ts';
import type { ReleasePlan, ReleaseState } from '../../../src/release/types.ts';
import { gate, makePlan } from '../../helpers/plan.ts';
import { Simulator, type SimOptions } from '../../helpers/simulate.ts';

const MIN = 60_000;

function input(plan: ReleasePlan = makePlan(), over: Partial<StartInput> = {}): StartInput {
  return {
    id: 'checkout-production-1',
    service: 'checkout',
    environment: 'production',
    version: 'v1.2.3',
    previousVersion: 'v1.2.2',
    requester: 'UALICE',
    dryRun: false,
    plan,
    ...over,
  };
}

function sim(plan?: ReleasePlan, opts: SimOptions = {}, over: Partial<StartInput> = {}): Simulator {
  return new Simulator(startRelease(input(plan, over), opts.start ?? new Date('2026-11-24T18:00:00Z')), opts);
}

/** Pre-flight passes (CI check + backup ticked) and bob and carol approve. */
function approve(s: Simulator): void {
  s.runUntil((r) => r.preflight[0]?.status !== 'running'); // the CI check finishes
  s.send({ type: 'preflightTicked', itemId: 'backup', actor: { user: 'UALICE' }, checked: true });
  s.send({ type: 'approved', actor: { user: 'UBOB' } });
  s.send({ type: 'approved', actor: { user: 'UCAROL' } });
}

const isFinal = (r: { state: ReleaseState }) =>
  ['completed', 'rolled_back', 'failed', 'aborted', 'rejected'].includes(r.state);

describe('release machine: the happy path', () => {
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
});

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
});

describe('release machine: people', () => {
  it('promote skips the rest of a hold', () => {
    const s = sim();
    approve(s);
    s.runUntil((r) => r.stageIndex === 1 && r.stages[1]?.phase === 'hold');
    const before = s.now;
    const result = s.send({ type: 'promoteRequested', actor: { user: 'UALICE' } });
    expect(result.refused).toBe(false);
    expect(s.release.stageIndex).toBe(2);
    expect(s.release.stages[1]?.status).toBe('done');
    expect(s.now).toBe(before);
    expect(s.posts().some((p) => p.includes('of hold skipped'))).toBe(true);
  });

  it('a promote meant for an earlier stage (a double click, an old card) is refused and skips nothing', () => {
    const s = sim();
    approve(s);
    s.runUntil((r) => r.stageIndex === 1 && r.stages[1]?.phase === 'hold');
    expect(s.send({ type: 'promoteRequested', actor: { user: 'UALICE' }, stageIndex: 1 }).refused).toBe(
      false,
    );
    s.runUntil((r) => r.stageIndex === 2 && r.stages[2]?.phase === 'hold');
    const again = s.send({ type: 'promoteRequested', actor: { user: 'UBOB' }, stageIndex: 1 });
    expect(again.refused && again.reason).toMatch(/Stage 2 was already promoted; the release is at stage 3/);
    expect(s.release.stageIndex).toBe(2);
    expect(s.release.stages[2]?.phase).toBe('hold');
    // The button of the stage now holding still works.
    expect(s.send({ type: 'promoteRequested', actor: { user: 'UBOB' }, stageIndex: 2 }).refused).toBe(false);
  });

  it('pause stops the hold timer; resume restarts it with the time that was left', () => {
    const s = sim();
    approve(s);
    s.runUntil((r) => r.stageIndex === 1 && r.stages[1]?.phase === 'hold');
    s.advance(10 * MIN);
    s.send({ type: 'pauseRequested', actor: { user: 'UALICE' }, reason: 'checking a dashboard' });
    expect(s.release.state).toBe('paused');
    const left = s.release.stages[1]!.holdRemainingMs!;
    expect(left).toBeGreaterThan(19 * MIN);
    s.advance(2 * 3600_000); // the old hold-end job fires and is ignored
    expect(s.release.stageIndex).toBe(1);
    s.send({ type: 'resumeRequested', actor: { user: 'UBOB' } });
    s.runUntil((r) => r.stageIndex === 2, left - 1000);
    expect(s.release.stageIndex).toBe(1);
    s.runUntil((r) => r.stageIndex === 2, 10_000);
    expect(s.release.stageIndex).toBe(2);
  });

  it('a breach still rolls back while paused', () => {
    const s = sim(undefined, { metric: (t) => (t > 20 * MIN ? 0.05 : 0.001) });
    approve(s);
    s.runUntil((r) => r.stageIndex === 1 && r.stages[1]?.phase === 'hold');
    s.send({ type: 'pauseRequested', actor: { user: 'UALICE' } });
    s.runUntil(isFinal);
    expect(s.release.state).toBe('rolled_back');
  });

  it('a reject stops the release before anything is deployed', () => {
    const s = sim();
    s.advance(2000);
    const result = s.send({ type: 'rejected', actor: { user: 'UCAROL' }, reason: 'not during the sale' });
    expect(result.refused).toBe(false);
    expect(s.release.state).toBe('rejected');
    expect(s.ran).toEqual(['preflight:ci']);
    expect(s.effects).toContainEqual({ type: 'releaseLock' });
  });

  it.each([
    ['the requester approving their own release', { user: 'UALICE' }, /cannot approve it yourself/],
    ['someone who is not an approver', { user: 'UMALLORY' }, /Only the approvers/],
  ])('refuses %s and changes nothing', (_name, actor, message) => {
    const s = sim();
    s.advance(2000);
    s.send({ type: 'preflightTicked', itemId: 'backup', actor: { user: 'UALICE' }, checked: true });
    const before = s.release;
    const result = s.send({ type: 'approved', actor });
    expect(result.refused).toBe(true);
    expect(result.refused && result.reason).toMatch(message);
    expect(s.release).toBe(before);
  });

  it('accepts an approver through a user group, and self-approval when the runbook allows it', () => {
    const s = sim();
    approve(s);
    const plan = makePlan({
      approvals: { required: 1, approvers: ['SSRE', 'UALICE'], operators: [], allowSelfApproval: true },
    });
    const t = sim(plan);
    t.advance(2000);
    t.send({ type: 'preflightTicked', itemId: 'backup', actor: { user: 'UALICE' }, checked: true });
    expect(t.send({ type: 'approved', actor: { user: 'UALICE' } }).refused).toBe(false);
    const u = sim(
      makePlan({ approvals: { required: 1, approvers: ['SSRE'], operators: [], allowSelfApproval: false } }),
    );
    u.advance(2000);
    u.send({ type: 'preflightTicked', itemId: 'backup', actor: { user: 'UALICE' }, checked: true });
    expect(u.send({ type: 'approved', actor: { user: 'UDAVE', groups: ['SSRE'] } }).refused).toBe(false);
    expect(u.release.state).toBe('running');
  });

  it('counts distinct approvers: the same approver twice is one approval', () => {
    const s = sim();
    s.advance(2000);
    s.send({ type: 'preflightTicked', itemId: 'backup', actor: { user: 'UALICE' }, checked: true });
    s.send({ type: 'approved', actor: { user: 'UBOB' } });
    const again = s.send({ type: 'approved', actor: { user: 'UBOB' } });
    expect(again.refused && again.reason).toMatch(/already approved/);
    expect(s.release.approvals).toHaveLength(1);
    expect(s.release.state).toBe('awaiting_approval');
  });

  it('refuses approval until every required pre-flight item has passed', () => {
    const s = sim();
    s.advance(2000);
    const result = s.send({ type: 'approved', actor: { user: 'UBOB' } });
    expect(result.refused && result.reason).toMatch(/Database backup completed \(not ticked\)/);
  });

  it('keeps a failed pre-flight check blocking until it is re-run and passes', () => {
    let fail = true;
    const s = sim(undefined, { actionOk: (a) => !(a === 'preflight:ci' && fail) });
    s.advance(2000);
    expect(s.release.preflight[0]?.status).toBe('failed');
    fail = false;
    s.send({ type: 'preflightRerun', actor: { user: 'UALICE' } });
    s.advance(2000);
    expect(s.release.preflight[0]?.status).toBe('passed');
  });

  it.each(['pauseRequested', 'abortRequested', 'rollbackRequested', 'promoteRequested'] as const)(
    'refuses %s from someone who is neither requester, approver nor operator',
    (type) => {
      const s = sim();
      approve(s);
      s.runUntil((r) => r.stages[1]?.phase === 'hold');
      const result = s.send({ type, actor: { user: 'UMALLORY' } });
      expect(result.refused && result.reason).toMatch(/Only the requester/);
      expect(s.send({ type, actor: { user: 'UOPS' } }).refused).toBe(false);
    },
  );

  it('a manual rollback stops the running stage, sets traffic to 0, runs rollback and verifies it', () => {
    const s = sim(makePlan({ verifyRollback: true }), { actionMs: 60_000 });
    approve(s);
    s.runUntil((r) => r.stageIndex === 0 && r.stages[0]?.phase === 'action', 1);
    const result = s.send({ type: 'rollbackRequested', actor: { user: 'UBOB' }, reason: 'wrong build' });
    expect(result.refused).toBe(false);
    expect(s.effects).toContainEqual({ type: 'cancelAction', key: 'checkout-production-1-s0-a1' });
    s.runUntil(isFinal);
    expect(s.release.state).toBe('rolled_back');
    expect(s.release.rollback?.steps.map((x) => `${x.name}:${x.status}`)).toEqual([
      'traffic:done',
      'rollback:done',
      'verify:done',
    ]);
    expect(s.ran.slice(-3)).toEqual(['traffic', 'rollback', 'smoke']);
    // The verifying smoke tests run against the version rolled back to.
    const verify = s.effects.find(
      (e) => e.type === 'runAction' && e.purpose.kind === 'rollback' && e.purpose.step === 'verify',
    );
    expect(verify?.type === 'runAction' && verify.vars).toEqual({ version: s.release.previousVersion });
    expect(s.release.previousVersion).toBeTruthy();
    // The deploy that was cut off reports back late and is ignored.
    expect(s.effects.filter((e) => e.type === 'declareIncident')).toEqual([]);
  });

  it('abort stops without rollback and frees the lock', () => {
    const s = sim();
    approve(s);
    s.runUntil((r) => r.stages[1]?.phase === 'hold');
    s.send({ type: 'abortRequested', actor: { user: 'UALICE' } });
    expect(s.release.state).toBe('aborted');
    expect(s.release.traffic).toBe(10);
    s.runUntil(() => false, 3 * 3600_000);
    expect(s.ran).not.toContain('rollback');
  });

  it('a failed deploy rolls back with the reason and the output', () => {
    const s = sim(undefined, { actionOk: (a) => a !== 'deploy' });
    approve(s);
    s.runUntil(isFinal);
    expect(s.release.state).toBe('rolled_back');
    expect(s.release.rollback?.reason).toMatch(/deploy failed in stage 1 \(deploy\): exit 1: boom/);
  });

  it('a failed rollback ends the release failed and declares an incident', () => {
    const s = sim(undefined, { actionOk: (a) => a !== 'deploy' && a !== 'rollback' });
    approve(s);
    s.runUntil(isFinal);
    expect(s.release.state).toBe('failed');
    expect(s.release.outcome).toMatch(/Rollback incomplete: rollback failed/);
    expect(s.effects).toContainEqual(expect.objectContaining({ type: 'declareIncident' }));
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

describe('release machine: fencing', () => {
  it('ignores a re-delivered action result and a stale hold timer', () => {
    const s = sim();
    approve(s);
    s.runUntil((r) => r.stageIndex === 1);
    const before = s.release;
    const stale = decide(
      before,
      { type: 'actionFinished', stageIndex: 0, attempt: 1, epoch: 2, ok: true },
      new Date(s.now),
    );
    expect(stale.refused === false && stale.release).toBe(before);
    expect(stale.refused === false && stale.effects).toEqual([]);
    const staleHold = decide(
      before,
      { type: 'holdElapsed', stageIndex: 1, epoch: before.epoch, seq: 99 },
      new Date(s.now),
    );
    expect(staleHold.refused === false && staleHold.release).toBe(before);
  });

  it('ignores a duplicate gate sample (same seq)', () => {
    const s = sim();
    approve(s);
    s.runUntil((r) => (r.gates.error_rate?.samples ?? 0) >= 1);
    const reading = s.release.gates.error_rate!;
    const dup = decide(
      s.release,
      { type: 'gateSampled', gate: 'error_rate', epoch: s.release.epoch, seq: reading.seq - 1, value: 1 },
      new Date(s.now),
    );
    expect(dup.refused === false && dup.effects).toEqual([]);
  });
});

describe('release machine: dry run and rollback of a finished release', () => {
  it('a dry run prints every stage and touches nothing', () => {
    const s = sim(undefined, {}, { dryRun: true, dryRunNotes: ['Releases of checkout are frozen'] });
    expect(s.release.state).toBe('completed');
    const kinds = new Set(s.effects.map((e) => e.type));
    for (const k of [
      'runAction',
      'scheduleGateSample',
      'scheduleHoldEnd',
      'releaseLock',
      'recordDeployed',
      'postHandoff',
    ]) {
      expect(kinds.has(k as never)).toBe(false);
    }
    const text = s.posts().join('\n');
    expect(text).toContain('./ops/deploy.sh v1.2.3');
    expect(text).toContain('./ops/rollback.sh v1.2.2');
    expect(text).toContain('traffic 10%, hold 30m');
    expect(text).toContain('frozen');
  });

  it('rolls a finished release back to its previous version and records it as deployed', () => {
    const first = startRollbackRelease(
      {
        ...input(),
        id: 'checkout-production-2',
        version: 'v1.2.3',
        previousVersion: 'v1.2.2',
        reason: 'latency regression',
      },
      new Date('2026-11-24T18:00:00Z'),
    );
    const s = new Simulator(first);
    expect(s.release.kind).toBe('rollback');
    s.runUntil(isFinal);
    expect(s.release.state).toBe('rolled_back');
    expect(s.ran).toEqual(['traffic', 'rollback']);
    expect(s.effects).toContainEqual({ type: 'recordDeployed', version: 'v1.2.2' });
    expect(s.effects.filter((e) => e.type === 'declareIncident')).toEqual([]);
  });
});
