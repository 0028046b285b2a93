import { describe, expect, it } from 'vitest';
import { MIN, approve, sim } from './machine-fixture.ts';

describe('release machine: pause, resume, promote, abort', () => {
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
    expect(again.refused && again.code).toBe('stale_request');
    expect(again.refused && again.reason).toMatch(/the release is at stage 3/);
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
});
