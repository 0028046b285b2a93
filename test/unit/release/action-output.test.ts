// Action output is data on the release: a failed action's { summary, tail } lands on its stage or
// step record, the reason it gives a rollback or pause is a sentence with the tail kept beside it,
// and no stored field holds fenced text for a view to parse back.
import { describe, expect, it } from 'vitest';
import { startRelease } from '../../../src/release/machine.ts';
import type { Release } from '../../../src/release/types.ts';
import { makePlan } from '../../helpers/plan.ts';
import { Simulator, type SimOptions } from '../../helpers/simulate.ts';

const TAIL = 'pulling image\nerror: image not found';
const final = (r: Release) => ['completed', 'rolled_back', 'failed', 'aborted', 'rejected'].includes(r.state);

function sim(opts: SimOptions, onBreach: 'rollback' | 'pause' = 'rollback'): Simulator {
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
        plan: makePlan({ onBreach }),
      },
      new Date('2026-11-24T18:00:00Z'),
    ),
    { failureTail: TAIL, ...opts },
  );
  s.runUntil((r) => r.preflight[0]?.status !== 'running');
  s.send({ type: 'preflightTicked', itemId: 'backup', actor: { user: 'UALICE' }, checked: true });
  s.send({ type: 'approved', actor: { user: 'UBOB' } });
  s.send({ type: 'approved', actor: { user: 'UCAROL' } });
  return s;
}

const deployFails: SimOptions = {
  actionOk: (action, fx) => !(action === 'deploy' && fx.purpose.kind === 'stage'),
};

describe('a failed action’s output, stored as data', () => {
  it('rollback: the stage keeps { summary, tail }; the rollback a sentence and the tail apart', () => {
    const s = sim(deployFails);
    s.runUntil(final);
    const r = s.release;
    expect(r.stages[0]!.detail).toEqual({ summary: 'exit 1: boom', tail: TAIL });
    expect(r.rollback!.reason).toBe('deploy failed in stage 1 (deploy): exit 1: boom');
    expect(r.rollback!.tail).toBe(TAIL);
    expect(r.outcome).toBe('Rolled back to v1.2.2: deploy failed in stage 1 (deploy): exit 1: boom');
    expect(JSON.stringify(r)).not.toContain('```');
  });

  it('pause: the pause carries the sentence and the tail apart', () => {
    const s = sim(deployFails, 'pause');
    s.runUntil((r) => r.state === 'paused');
    expect(s.release.pause).toMatchObject({
      by: 'runway',
      reason: 'deploy failed in stage 1 (deploy): exit 1: boom',
      tail: TAIL,
    });
    expect(JSON.stringify(s.release)).not.toContain('```');
  });

  it('the thread note of the failure carries the tail; the rollback note only the sentence', () => {
    const s = sim(deployFails);
    s.runUntil(final);
    const notes = s.effects.flatMap((fx) => (fx.type === 'postInThread' ? [fx.note] : []));
    expect(notes.find((n) => n.kind === 'actionFailed')).toMatchObject({
      summary: 'exit 1: boom',
      tail: TAIL,
    });
    const started = notes.find((n) => n.kind === 'rollbackStarted');
    expect(started).toMatchObject({ reason: 'deploy failed in stage 1 (deploy): exit 1: boom' });
    expect(started).not.toHaveProperty('tail');
  });

  it('a failed rollback step: its { summary, tail } on the step, the outcome names the summary', () => {
    const s = sim({
      actionOk: (action, fx) =>
        !(fx.purpose.kind === 'stage' && action === 'deploy') && action !== 'rollback',
    });
    s.runUntil(final);
    const r = s.release;
    const step = r.rollback!.steps.find((x) => x.name === 'rollback')!;
    expect(step.detail).toEqual({ summary: 'exit 1: undo failed', tail: TAIL });
    expect(r.state).toBe('failed');
    expect(r.outcome).toBe('Rollback incomplete: rollback failed (exit 1: undo failed).');
    const audited = s.effects.find((fx) => fx.type === 'audit' && fx.action === 'rollback.step_failed');
    expect(audited).toMatchObject({
      details: { step: 'rollback', detail: 'exit 1: undo failed', tail: TAIL },
    });
  });

  it('a failed pre-flight check keeps its output on the item and in its thread note', () => {
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
      { failureTail: TAIL, actionOk: (_a, fx) => fx.purpose.kind !== 'preflight' },
    );
    s.runUntil((r) => r.preflight.some((p) => p.status === 'failed'));
    const failed = s.release.preflight.find((p) => p.status === 'failed')!;
    expect(failed.detail).toEqual({ summary: 'exit 1: check failed', tail: TAIL });
    const note = s.effects.find((fx) => fx.type === 'postInThread' && fx.note.kind === 'preflightFailed');
    expect(note).toMatchObject({ note: { detail: 'exit 1: check failed', tail: TAIL } });
  });
});
