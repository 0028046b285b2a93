// How a stage that did not finish is marked, on the release and on its card: a gate breach (or a
// Prometheus outage) fails the running stage with the breach, not with the output of the action that
// had succeeded before it; an abort or a manual rollback stops it (skipped mark, who and why); stages
// never reached are skipped without a note.
import type { SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { startRelease } from '../../../src/release/machine.ts';
import type { Release, StageRun } from '../../../src/release/types.ts';
import { releaseCard } from '../../../src/slack/views/release-card.ts';
import { makePlan } from '../../helpers/plan.ts';
import { Simulator, type SimOptions } from '../../helpers/simulate.ts';

const MIN = 60_000;
const START = new Date('2026-11-24T18:00:00Z');

function sim(opts: SimOptions = {}, onBreach: 'rollback' | 'pause' = 'rollback'): Simulator {
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
      START,
    ),
    opts,
  );
  s.runUntil((r) => r.preflight[0]?.status !== 'running');
  s.send({ type: 'preflightTicked', itemId: 'backup', actor: { user: 'UALICE' }, checked: true });
  s.send({ type: 'approved', actor: { user: 'UBOB' } });
  s.send({ type: 'approved', actor: { user: 'UCAROL' } });
  return s;
}

const final = (r: Release) => ['completed', 'rolled_back', 'failed', 'aborted', 'rejected'].includes(r.state);
const holding10 = (r: Release) => r.stageIndex === 1 && r.stages[1]?.phase === 'hold';
const acting10 = (r: Release) => r.stageIndex === 1 && r.stages[1]?.phase === 'action';

function stageLines(r: Release): string[] {
  return releaseCard(r, { now: new Date(Date.parse(r.updatedAt)) })
    .blocks.filter((b) => b.block_id?.startsWith('card-stages'))
    .flatMap((b) => ((b as SectionBlock).text?.text ?? '').split('\n'))
    .filter((line) => /^\S+ \d+\. /.test(line));
}

interface Case {
  name: string;
  opts?: SimOptions;
  onBreach?: 'rollback' | 'pause';
  /** Drive the release from "approved" to its end. */
  drive: (s: Simulator) => void;
  state: Release['state'];
  /** What stage 2 (traffic 10%) became. */
  stage: Partial<StageRun>;
  line: string;
}

const cases: Case[] = [
  {
    name: 'a sustained gate breach rolls back: failed, with the gate, reading, threshold and duration',
    opts: { metric: (t) => (t > 10 * MIN ? 0.05 : 0.001) },
    drive: (s) => s.runUntil(final),
    state: 'rolled_back',
    stage: { status: 'failed', detail: 'gate error_rate: 0.05 > max 0.005 for 5m (allowed 5m)' },
    line: '❌ 2. traffic 10%, hold 30m — failed: gate error_rate: 0.05 &gt; max 0.005 for 5m (allowed 5m)',
  },
  {
    name: 'no data (Prometheus down) rolls back: failed, with the missing data as the breach',
    opts: { metric: () => null },
    drive: (s) => s.runUntil(final),
    state: 'rolled_back',
    stage: { status: 'failed', detail: 'gate error_rate: no data for 5m (allowed 5m)' },
    line: '❌ 2. traffic 10%, hold 30m — failed: gate error_rate: no data for 5m (allowed 5m)',
  },
  {
    name: 'a failed traffic action rolls back: failed, with the action’s result',
    opts: { actionOk: (action, fx) => !(action === 'traffic' && fx.purpose.kind === 'stage') },
    drive: (s) => s.runUntil(final),
    state: 'rolled_back',
    stage: { status: 'failed', detail: 'exit 1: boom' },
    line: '❌ 2. traffic 10%, hold 30m — failed: exit 1: boom',
  },
  {
    name: 'an abort during the hold: stopped (skipped mark), by whom and why',
    drive: (s) => {
      s.runUntil(holding10);
      s.advance(5 * MIN);
      s.send({ type: 'abortRequested', actor: { user: 'UALICE' }, reason: 'wrong build <!channel>' });
    },
    state: 'aborted',
    stage: { status: 'skipped', stopped: { by: 'UALICE', how: 'abort', reason: 'wrong build <!channel>' } },
    line: '⏭️ 2. traffic 10%, hold 30m — stopped: aborted by <@UALICE> (wrong build &lt;!channel&gt;)',
  },
  {
    name: 'an abort while the action runs: stopped, without a reason',
    drive: (s) => {
      s.runUntil(acting10);
      s.send({ type: 'abortRequested', actor: { user: 'UOPS' } });
    },
    state: 'aborted',
    stage: { status: 'skipped', stopped: { by: 'UOPS', how: 'abort' } },
    line: '⏭️ 2. traffic 10%, hold 30m — stopped: aborted by <@UOPS>',
  },
  {
    name: 'a manual rollback during the hold: stopped, not failed',
    drive: (s) => {
      s.runUntil(holding10);
      s.send({ type: 'rollbackRequested', actor: { user: 'UBOB' }, reason: 'latency looks off' });
      s.runUntil(final);
    },
    state: 'rolled_back',
    stage: { status: 'skipped', stopped: { by: 'UBOB', how: 'rollback', reason: 'latency looks off' } },
    line: '⏭️ 2. traffic 10%, hold 30m — stopped: rolled back by <@UBOB> (latency looks off)',
  },
  {
    name: 'a manual rollback of a release paused by a breach: stopped by the person',
    opts: { metric: (t) => (t > 10 * MIN ? 0.05 : 0.001) },
    onBreach: 'pause',
    drive: (s) => {
      s.runUntil((r) => r.state === 'paused');
      s.send({ type: 'rollbackRequested', actor: { user: 'UOPS' } });
      s.runUntil(final);
    },
    state: 'rolled_back',
    stage: { status: 'skipped', stopped: { by: 'UOPS', how: 'rollback' } },
    line: '⏭️ 2. traffic 10%, hold 30m — stopped: rolled back by <@UOPS>',
  },
];

describe('stages a rollback or an abort stopped', () => {
  it.each(cases)('$name', ({ opts, onBreach, drive, state, stage, line }) => {
    const s = sim(opts, onBreach);
    drive(s);
    const r = s.release;
    expect(r.state).toBe(state);
    expect(r.stages[0]?.status).toBe('done');
    expect(r.stages[1]).toMatchObject(stage);
    if (stage.status === 'skipped') expect(r.stages[1]?.detail).toBeUndefined();
    expect(r.stages[1]?.endedAt).toBeDefined();
    expect(r.stages[1]?.phase).toBeUndefined();
    expect(r.stages.slice(2).every((st) => st.status === 'skipped' && !st.stopped && !st.detail)).toBe(true);

    const lines = stageLines(r);
    expect(lines[0]).toBe('✅ 1. deploy — done');
    expect(lines[1]).toBe(line);
    expect(lines[2]).toBe('⏭️ 3. traffic 50%, hold 1h — skipped'); // never reached: skipped, no other note
    expect(lines.join('\n')).not.toMatch(/exit 0/);
  });

  it('cancels the running action when an abort stops its stage', () => {
    const s = sim();
    s.runUntil(acting10);
    s.send({ type: 'abortRequested', actor: { user: 'UALICE' } });
    expect(s.effects).toContainEqual({ type: 'cancelAction', key: 'checkout-production-1-s1-a1' });
  });

  it('leaves a stage paused by a breach running (it may go on), not failed', () => {
    const s = sim({ metric: (t) => (t > 10 * MIN ? 0.05 : 0.001) }, 'pause');
    s.runUntil((r) => r.state === 'paused');
    expect(s.release.stages[1]?.status).toBe('running'); // paused, not failed: it may go on
    expect(stageLines(s.release)[1]).toMatch(/^▶️ 2\. traffic 10%, hold 30m — paused, /);
  });
});
