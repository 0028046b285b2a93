// SPEC 4: the audit log covers commands run and their exit codes. The machine puts how an action
// ended (exitCode, timedOut) in the audit entry of a stage action, a pre-flight check and a rollback
// step; thread notes stay without them.
import { describe, expect, it } from 'vitest';
import { startRelease } from '../../../src/release/machine.ts';
import type { ActionExit, Effect, Release } from '../../../src/release/types.ts';
import { makePlan } from '../../helpers/plan.ts';
import { Simulator, type SimOptions } from '../../helpers/simulate.ts';

const final = (r: Release) => ['completed', 'rolled_back', 'failed', 'aborted'].includes(r.state);

function run(opts: SimOptions): Simulator {
  const s = new Simulator(
    startRelease(
      {
        id: 'checkout-production-1',
        service: 'checkout',
        environment: 'production',
        version: 'v1.2.3',
        previousVersion: 'v1.2.2',
        requester: 'UALICE',
        dryRun: false,
        plan: makePlan(),
      },
      new Date('2026-11-24T18:00:00Z'),
    ),
    opts,
  );
  s.runUntil((r) => r.preflight[0]?.status !== 'running');
  s.send({ type: 'preflightTicked', itemId: 'backup', actor: { user: 'UALICE' }, checked: true });
  s.send({ type: 'approved', actor: { user: 'UBOB' } });
  s.send({ type: 'approved', actor: { user: 'UCAROL' } });
  s.runUntil(final);
  return s;
}

const audits = (s: Simulator) =>
  s.effects.filter((fx): fx is Extract<Effect, { type: 'audit' }> => fx.type === 'audit');
const entry = (s: Simulator, action: string) => audits(s).find((a) => a.action === action)?.details;

const deployFails: SimOptions['actionOk'] = (action, fx) =>
  !(action === 'deploy' && fx.purpose.kind === 'stage');

describe('audit entries of finished actions carry how they ended', () => {
  const exited = (ok: boolean): ActionExit => ({ exitCode: ok ? 0 : 3, timedOut: false });
  const cases: {
    name: string;
    opts: SimOptions;
    action: string;
    want: Record<string, unknown>;
    absent?: string[];
  }[] = [
    {
      name: 'a stage command that exited 0',
      opts: { actionExit: (_a, ok) => exited(ok) },
      action: 'action.finished',
      want: { stage: 0, action: 'deploy', detail: 'exit 0', exitCode: 0, timedOut: false },
    },
    {
      name: 'a stage command that exited 3',
      opts: { actionOk: deployFails, actionExit: (_a, ok) => exited(ok) },
      action: 'action.failed',
      want: { stage: 0, action: 'deploy', exitCode: 3, timedOut: false },
    },
    {
      name: 'a stage command that timed out (no exit code)',
      opts: { actionOk: deployFails, actionExit: (_a, ok) => (ok ? exited(ok) : { timedOut: true }) },
      action: 'action.failed',
      want: { stage: 0, action: 'deploy', timedOut: true },
      absent: ['exitCode'],
    },
    {
      name: 'a pre-flight check',
      opts: { actionExit: (_a, ok) => exited(ok) },
      action: 'preflight.passed',
      want: { item: 'ci', exitCode: 0, timedOut: false },
    },
    {
      name: 'a rollback step',
      opts: { actionOk: deployFails, actionExit: (_a, ok) => exited(ok) },
      action: 'rollback.step_done',
      want: { exitCode: 0, timedOut: false },
    },
    {
      name: 'an action that says nothing of how it ended (a webhook)',
      opts: {},
      action: 'action.finished',
      want: { stage: 0, action: 'deploy' },
      absent: ['exitCode', 'timedOut'],
    },
  ];

  it.each(cases)('$name: $action', ({ opts, action, want, absent = [] }) => {
    const details = entry(run(opts), action);
    expect(details).toMatchObject(want);
    for (const key of absent) expect(details).not.toHaveProperty(key);
  });

  it('keeps exit codes out of thread notes', () => {
    const s = run({ actionOk: deployFails, actionExit: (_a, ok) => exited(ok) });
    const notes = s.effects.flatMap((fx) => (fx.type === 'postInThread' ? [fx.note] : []));
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) expect(n).not.toHaveProperty('exitCode');
  });
});
