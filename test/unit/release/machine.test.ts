import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/release/machine.ts';
import { approve, sim } from './machine-fixture.ts';

describe('release machine: fencing (decide ignores stale and repeated events)', () => {
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

describe('release machine: where the card lives', () => {
  it('records the first card location and ignores a second one, asking for nothing else', () => {
    const s = sim();
    const first = decide(s.release, { type: 'cardPosted', channel: 'CREL', ts: '1.1' }, new Date());
    expect(first.refused).toBe(false);
    if (first.refused) return;
    expect(first.release.card).toEqual({ channel: 'CREL', ts: '1.1' });
    expect(first.effects).toEqual([]);
    const second = decide(first.release, { type: 'cardPosted', channel: 'COTHER', ts: '2.2' }, new Date());
    expect(second.refused === false && second.release).toBe(first.release);
  });
});

describe('release machine: an action cut off by a crash runs again', () => {
  it('says so in the thread and the audit while the release waits for it; a stale one is ignored', () => {
    const s = sim();
    approve(s);
    s.runUntil((r) => r.stages[0]?.phase === 'action');
    const r = s.release;
    const purpose = { kind: 'stage' as const, stageIndex: 0, attempt: r.stages[0]!.attempt, epoch: r.epoch };
    const resumed = decide(
      r,
      { type: 'actionResumed', action: 'deploy', purpose, run: 2, previousOwner: 'host-a/123' },
      new Date(s.now),
    );
    expect(resumed.refused === false && resumed.effects).toEqual([
      {
        type: 'audit',
        action: 'action.resumed',
        actor: 'runway',
        details: {
          action: 'deploy',
          stage: 0,
          attempt: purpose.attempt,
          run: 2,
          previousOwner: 'host-a/123',
        },
      },
      { type: 'postInThread', note: { kind: 'actionResumed', action: 'deploy', what: 'stage 1 (deploy)' } },
    ]);
    expect(resumed.refused === false && resumed.release.stages).toEqual(r.stages);
    const stale = decide(
      r,
      { type: 'actionResumed', action: 'deploy', purpose: { ...purpose, attempt: 99 }, run: 2 },
      new Date(s.now),
    );
    expect(stale.refused === false && stale.release).toBe(r);
  });
});
