import { Simulator } from '../../helpers/simulate.ts';
import { describe, expect, it } from 'vitest';
import { startRollbackRelease } from '../../../src/release/machine.ts';
import { makePlan } from '../../helpers/plan.ts';
import { approve, input, isFinal, sim } from './machine-fixture.ts';

describe('release machine: rollback', () => {
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
