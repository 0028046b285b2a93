import { describe, expect, it } from 'vitest';
import { awaitsAction, awaitsGateSample, awaitsHoldEnd } from '../../../src/release/fencing.ts';
import type { Release } from '../../../src/release/types.ts';
import { approve, sim } from './machine-fixture.ts';

/** A release holding in stage 2 (traffic 10%) with its error_rate gate watched. */
function holding(): Release {
  const s = sim();
  approve(s);
  s.runUntil((r) => r.stageIndex === 1 && r.stages[1]?.phase === 'hold');
  return s.release;
}

/** A release running stage 1's action (deploy). */
function deploying(): Release {
  const s = sim();
  approve(s);
  return s.release;
}

describe('fencing: does the release still wait for this job?', () => {
  const r = deploying();
  const stage = { kind: 'stage', stageIndex: 0, attempt: 1, epoch: r.epoch } as const;
  it.each([
    ['the current stage action', stage, true],
    ['an older epoch', { ...stage, epoch: r.epoch - 1 }, false],
    ['an older attempt', { ...stage, attempt: 0 }, false],
    ['another stage', { ...stage, stageIndex: 1 }, false],
    ['a pre-flight check once pre-flight is over', { kind: 'preflight', itemId: 'ci', attempt: 1 }, false],
    ['a rollback step of a release not rolling back', { kind: 'rollback', step: 'traffic' }, false],
  ] as const)('%s → %s', (_name, purpose, expected) => {
    expect(r.state).toBe('running');
    expect(awaitsAction(r, purpose)).toBe(expected);
  });

  it('a stage result is still awaited while paused, not once rolled back or finished', () => {
    expect(awaitsAction({ ...r, state: 'paused' }, stage)).toBe(true);
    expect(awaitsAction({ ...r, state: 'rolling_back' }, stage)).toBe(false);
    expect(awaitsAction({ ...r, state: 'aborted' }, stage)).toBe(false);
  });

  it('a running pre-flight check of the same attempt is awaited', () => {
    const s = sim();
    expect(awaitsAction(s.release, { kind: 'preflight', itemId: 'ci', attempt: 1 })).toBe(true);
    expect(awaitsAction(s.release, { kind: 'preflight', itemId: 'ci', attempt: 2 })).toBe(false);
  });

  it('a gate sample counts only for its epoch and seq, a gate of the current stage, while running or paused', () => {
    const h = holding();
    const seq = h.gates.error_rate!.seq;
    expect(awaitsGateSample(h, 'error_rate', h.epoch, seq)).toBe(true);
    expect(awaitsGateSample({ ...h, state: 'paused' }, 'error_rate', h.epoch, seq)).toBe(true);
    expect(awaitsGateSample(h, 'error_rate', h.epoch, seq - 1)).toBe(false);
    expect(awaitsGateSample(h, 'error_rate', h.epoch - 1, seq)).toBe(false);
    expect(awaitsGateSample(h, 'latency', h.epoch, seq)).toBe(false);
    expect(awaitsGateSample({ ...h, state: 'rolling_back' }, 'error_rate', h.epoch, seq)).toBe(false);
  });

  it('a hold end counts only for its stage, epoch and seq, while the hold runs', () => {
    const h = holding();
    const seq = h.stages[1]!.holdSeq;
    expect(awaitsHoldEnd(h, 1, h.epoch, seq)).toBe(true);
    expect(awaitsHoldEnd(h, 1, h.epoch, seq - 1)).toBe(false);
    expect(awaitsHoldEnd(h, 0, h.epoch, seq)).toBe(false);
    expect(awaitsHoldEnd({ ...h, state: 'paused' }, 1, h.epoch, seq)).toBe(false);
  });
});
