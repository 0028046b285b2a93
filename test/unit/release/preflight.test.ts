import { describe, expect, it } from 'vitest';
import { makePlan } from '../../helpers/plan.ts';
import { approve, sim } from './machine-fixture.ts';

describe('release machine: pre-flight and approvals', () => {
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
    ['the requester approving their own release', { user: 'UALICE' }, 'self_approval'],
    ['someone who is not an approver', { user: 'UMALLORY' }, 'not_allowed'],
  ])('refuses %s and changes nothing', (_name, actor, code) => {
    const s = sim();
    s.advance(2000);
    s.send({ type: 'preflightTicked', itemId: 'backup', actor: { user: 'UALICE' }, checked: true });
    const before = s.release;
    const result = s.send({ type: 'approved', actor });
    expect(result.refused).toBe(true);
    expect(result.refused && result.code).toBe(code);
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
    expect(again.refused && again.code).toBe('already_done');
    expect(s.release.approvals).toHaveLength(1);
    expect(s.release.state).toBe('awaiting_approval');
  });

  it('refuses approval until every required pre-flight item has passed', () => {
    const s = sim();
    s.advance(2000);
    const result = s.send({ type: 'approved', actor: { user: 'UBOB' } });
    expect(result.refused && result.code).toBe('preflight_pending');
    // The refusal names what is still missing.
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
      expect(result.refused && result.code).toBe('not_allowed');
      expect(s.send({ type, actor: { user: 'UOPS' } }).refused).toBe(false);
    },
  );
});
