import { describe, expect, it } from 'vitest';
import { approvalRefusal, isListed, operateRefusal, startPolicy } from '../../../src/release/policy.ts';
import { startRelease } from '../../../src/release/machine.ts';
import { makePlan } from '../../helpers/plan.ts';

const closed = {
  open: false,
  refusal: 'Production releases of checkout are allowed Tue-Thu 10:00-16:00 America/Los_Angeles.',
};
const open = { open: true };
const freeze = { scope: 'all', by: 'UOPS', reason: 'Black Friday' };

describe('start policy: windows, freezes, hotfixes', () => {
  it.each([
    ['inside the window, no freeze', { window: open, freeze: null, dryRun: false }, null, 0],
    ['outside the window', { window: closed, freeze: null, dryRun: false }, /allowed Tue-Thu/, 0],
    [
      'outside the window with --hotfix',
      { window: closed, freeze: null, hotfix: { reason: 'CVE' }, dryRun: false },
      null,
      1,
    ],
    [
      'during a freeze',
      { window: open, freeze, dryRun: false },
      /frozen by @\{UOPS\} \(Black Friday\).*--hotfix/,
      0,
    ],
    [
      'during a freeze with --hotfix',
      { window: open, freeze, hotfix: { reason: 'outage' }, dryRun: false },
      null,
      1,
    ],
    [
      'frozen and outside the window with --hotfix',
      { window: closed, freeze, hotfix: { reason: 'x' }, dryRun: false },
      null,
      2,
    ],
    ['a dry run outside the window', { window: closed, freeze, dryRun: true }, null, 0],
  ])('%s', (_name, input, refusal, overrides) => {
    const result = startPolicy(input);
    if (refusal) expect(result.refusal).toMatch(refusal);
    else expect(result.refusal).toBeNull();
    expect(result.overrides).toHaveLength(overrides);
  });

  it('a dry run reports what would block a real start', () => {
    expect(startPolicy({ window: closed, freeze, dryRun: true }).notes).toHaveLength(2);
  });
});

describe('who may do what', () => {
  const plan = makePlan();
  const release = startRelease(
    {
      id: 'r1',
      service: 'checkout',
      environment: 'production',
      version: 'v1',
      previousVersion: null,
      requester: 'UALICE',
      dryRun: false,
      plan,
    },
    new Date(),
  ).release;

  it.each([
    [{ user: 'UBOB' }, true],
    [{ user: 'UDAVE', groups: ['SSRE'] }, true],
    [{ user: 'UALICE' }, false],
    [{ user: 'UMALLORY' }, false],
    [{ user: 'UOPS' }, false],
  ])('approve: %o → %s', (actor, allowed) => {
    expect(approvalRefusal(plan, release, actor) === null).toBe(allowed);
  });

  it.each([
    [{ user: 'UALICE' }, true],
    [{ user: 'UBOB' }, true],
    [{ user: 'UOPS' }, true],
    [{ user: 'UDAVE', groups: ['SSRE'] }, true],
    [{ user: 'UMALLORY' }, false],
  ])('operate: %o → %s', (actor, allowed) => {
    expect(operateRefusal(plan, release, actor, 'pause') === null).toBe(allowed);
  });

  it('an empty approver list means anyone but the requester', () => {
    const open = makePlan({
      approvals: { required: 1, approvers: [], operators: [], allowSelfApproval: false },
    });
    expect(approvalRefusal(open, release, { user: 'UANY' })).toBeNull();
    expect(approvalRefusal(open, release, { user: 'UALICE' })).toMatch(/yourself/);
  });

  it('matches users and groups', () => {
    expect(isListed({ user: 'U1', groups: ['S2'] }, ['S2'])).toBe(true);
    expect(isListed({ user: 'U1' }, ['S2'])).toBe(false);
  });
});
