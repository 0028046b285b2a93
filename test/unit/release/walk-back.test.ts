// Issue 12: a rollback walks back over every started stage's undo, newest first (SPEC section 10).
import { describe, expect, it } from 'vitest';
import { startRollbackRelease } from '../../../src/release/machine.ts';
import { undoSteps, walkBackSteps } from '../../../src/release/walk-back.ts';
import type { Effect, PlannedStage, ReleaseEvent, ReleasePlan } from '../../../src/release/types.ts';
import { gate, makePlan } from '../../helpers/plan.ts';
import { Simulator } from '../../helpers/simulate.ts';
import { input, isFinal, MIN, sim } from './machine-fixture.ts';

const runbookStages: PlannedStage[] = [
  { kind: 'run', action: 'db_snapshot', holdMs: 0, gates: [], name: 'Snapshot the database' },
  { kind: 'run', action: 'migrate', holdMs: 0, gates: [], undo: 'migrate_down', name: 'Database migration' },
  { kind: 'deploy', action: 'deploy', gates: [] },
  { kind: 'flag', action: 'ai_suggestions', percent: 10, holdMs: 30 * MIN, gates: ['error_rate'] },
  { kind: 'traffic', percent: 50, holdMs: 60 * MIN, gates: ['error_rate'], action: 'traffic' },
  { kind: 'traffic', percent: 100, holdMs: 0, gates: [], action: 'traffic' },
];

function plan(stages: PlannedStage[], over: Partial<ReleasePlan> = {}): ReleasePlan {
  return makePlan({
    stages,
    preflight: [],
    approvals: { required: 0, approvers: [], operators: [], allowSelfApproval: true },
    gates: { error_rate: gate('error_rate', { forMs: 5 * MIN }) },
    actions: [
      'deploy',
      'traffic',
      'smoke',
      'rollback',
      'db_snapshot',
      'migrate',
      'migrate_down',
      'ai_suggestions',
    ],
    actionSummaries: {
      deploy: './ops/deploy.sh {{version}}',
      traffic: 'POST https://deploy.example.com/traffic',
      smoke: 'GET https://api.example.com/health → 200',
      rollback: './ops/rollback.sh {{previous_version}}',
      db_snapshot: './ops/snapshot.sh',
      migrate: './ops/migrate.sh up',
      migrate_down: './ops/migrate.sh down',
      ai_suggestions: 'launchdarkly flag ai_suggestions',
    },
    ...over,
  });
}

/** Error rate breaches from `fromMin` minutes on. */
const breachFrom = (fromMin: number) => (t: number) => (t >= fromMin * MIN ? 0.1 : 0.001);

const rollbackRuns = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === 'runAction' && e.purpose.kind === 'rollback' ? [e] : []));

describe('the walk back, for each stage mix', () => {
  it.each([
    {
      mix: 'snapshot, migrate (undo), deploy, flag 10%, traffic 50% — breach at 50%',
      stages: runbookStages,
      breachAt: 45,
      ran: [
        'db_snapshot',
        'migrate',
        'deploy',
        'ai_suggestions:10',
        'traffic:50',
        'traffic',
        'ai_suggestions',
        'rollback',
        'migrate_down',
      ],
      steps: ['traffic:done', 'undo-s3:done', 'rollback:done', 'undo-s1:done'],
    },
    {
      mix: 'the same, breach during the flag stage: traffic 50% never started',
      stages: runbookStages,
      breachAt: 1,
      ran: [
        'db_snapshot',
        'migrate',
        'deploy',
        'ai_suggestions:10',
        'traffic',
        'ai_suggestions',
        'rollback',
        'migrate_down',
      ],
      steps: ['traffic:done', 'undo-s3:done', 'rollback:done', 'undo-s1:done'],
    },
    {
      mix: 'without flags: migrate (undo), deploy, traffic 50%',
      stages: [runbookStages[1]!, runbookStages[2]!, runbookStages[4]!],
      breachAt: 1,
      ran: ['migrate', 'deploy', 'traffic:50', 'traffic', 'rollback', 'migrate_down'],
      steps: ['traffic:done', 'rollback:done', 'undo-s0:done'],
    },
    {
      mix: 'a deploy naming its own undo, a flag with a named undo',
      stages: [
        { kind: 'deploy', action: 'deploy', gates: [], undo: 'migrate_down' },
        { ...runbookStages[3]!, undo: 'db_snapshot' },
      ] as PlannedStage[],
      breachAt: 1,
      ran: ['deploy', 'ai_suggestions:10', 'traffic', 'db_snapshot', 'migrate_down'],
      steps: ['traffic:done', 'undo-s1:done', 'undo-s0:done'],
    },
  ])('$mix', ({ stages, breachAt, ran, steps }) => {
    const s = sim(plan(stages), { metric: breachFrom(breachAt) });
    s.runUntil(isFinal);
    expect(s.release.state).toBe('rolled_back');
    expect(s.ran).toEqual(ran);
    expect(s.release.rollback?.steps.map((x) => `${x.name}:${x.status}`)).toEqual(steps);
    // Every step has its own deterministic key, run once.
    const keys = rollbackRuns(s.effects).map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('turns the flag off, traffic to 0 and verifies last when verify_rollback', () => {
    const s = sim(plan(runbookStages, { verifyRollback: true }), { metric: breachFrom(45) });
    s.runUntil(isFinal);
    const runs = rollbackRuns(s.effects);
    expect(runs.map((e) => [e.action, e.vars])).toEqual([
      ['traffic', { percent: 0 }],
      ['ai_suggestions', { flag: 'off' }],
      ['rollback', {}],
      ['migrate_down', {}],
      ['smoke', { version: 'v1.2.2' }],
    ]);
    expect(runs.map((e) => e.key)).toEqual([
      'checkout-production-1-rb-traffic',
      'checkout-production-1-rb-undo-s3',
      'checkout-production-1-rb-rollback',
      'checkout-production-1-rb-undo-s1',
      'checkout-production-1-rb-verify',
    ]);
    const started = s.posts().filter((p) => p.includes('undo'));
    expect(started.length).toBeGreaterThan(0);
  });

  it('each undo is its own thread note naming the stage it undoes', () => {
    const s = sim(plan(runbookStages), { metric: breachFrom(45) });
    s.runUntil(isFinal);
    const notes = s.effects.flatMap((e) => (e.type === 'postInThread' ? [e.note] : []));
    const done = notes.filter((n) => n.kind === 'rollbackStepDone');
    expect(done.map((n) => (n.kind === 'rollbackStepDone' ? [n.step, n.undoOf, n.command] : []))).toEqual([
      ['traffic', undefined, 'POST https://deploy.example.com/traffic'],
      ['undo-s3', 'flag ai_suggestions 10%, hold 30m', 'launchdarkly flag ai_suggestions off'],
      ['rollback', 'deploy', './ops/rollback.sh v1.2.2'],
      ['undo-s1', 'Database migration', './ops/migrate.sh down'],
    ]);
  });

  it('a failed undo stops the walk: failed, the undo named with its output, an incident declared', () => {
    const s = sim(plan(runbookStages, { verifyRollback: true }), {
      metric: breachFrom(45),
      actionOk: (a, fx) => !(a === 'ai_suggestions' && fx.vars.flag === 'off'),
    });
    s.runUntil(isFinal);
    expect(s.release.state).toBe('failed');
    expect(s.release.rollback?.steps.map((x) => `${x.name}:${x.status}`)).toEqual([
      'traffic:done',
      'undo-s3:failed',
      'rollback:skipped',
      'undo-s1:skipped',
      'verify:skipped',
    ]);
    expect(s.ran).not.toContain('rollback');
    expect(s.ran).not.toContain('migrate_down');
    expect(s.release.outcome).toMatch(
      /undo of "flag ai_suggestions 10%, hold 30m" \(ai_suggestions off\) failed/,
    );
    expect(s.effects).toContainEqual(expect.objectContaining({ type: 'declareIncident', severity: 'sev2' }));
  });

  it('a crash mid-walk: re-delivered step results are ignored and no undo runs twice', () => {
    const s = sim(plan(runbookStages), { metric: breachFrom(45) });
    const delivered: ReleaseEvent[] = [];
    s.runUntil((r) => {
      const done = r.rollback?.steps.filter((x) => x.status === 'done') ?? [];
      return done.length === 2;
    });
    // A worker killed after finishing the flag-off undo: the queue re-delivers every result so far.
    for (const step of ['traffic', 'undo-s3'])
      delivered.push({ type: 'rollbackStepFinished', step, ok: true, output: { summary: 'replayed' } });
    for (const e of delivered) {
      const result = s.send(e);
      expect(result.refused === false && result.effects).toEqual([]);
    }
    s.runUntil(isFinal);
    expect(s.release.state).toBe('rolled_back');
    const keys = rollbackRuns(s.effects).map((e) => e.key);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
  });
});

describe('walkBackSteps (pure)', () => {
  const actions = ['traffic', 'rollback', 'smoke', 'migrate_down', 'ai'];
  it.each([
    {
      what: 'a stage with no undo is passed over',
      stages: [{ kind: 'bake', holdMs: 1, gates: [] }],
      started: [0],
      want: ['traffic', 'rollback'],
    },
    {
      what: 'stages that never started are not undone',
      stages: runbookStages,
      started: [0, 1],
      want: ['traffic', 'undo-s1'],
    },
    {
      what: 'no deploy stage: rollback still runs once, after the undos',
      stages: [runbookStages[1]!],
      started: [0],
      want: ['traffic', 'undo-s0', 'rollback'],
    },
  ] as { what: string; stages: PlannedStage[]; started: number[]; want: string[] }[])(
    '$what',
    ({ stages, started, want }) => {
      expect(walkBackSteps({ actions, verifyRollback: false }, stages, started).map((s) => s.name)).toEqual(
        want,
      );
    },
  );

  it('an undo naming a flag action turns that flag off, never on', () => {
    const stages: PlannedStage[] = [
      { kind: 'run', action: 'migrate', holdMs: 0, gates: [], undo: 'ai_suggestions', undoFlagOff: true },
      { kind: 'run', action: 'db_snapshot', holdMs: 0, gates: [], undo: 'migrate_down' },
    ];
    const steps = undoSteps(stages, [0, 1], ['migrate', 'db_snapshot', 'migrate_down', 'ai_suggestions']);
    expect(steps.map((s) => [s.name, s.action, s.flagOff])).toEqual([
      ['undo-s1', 'migrate_down', undefined],
      ['undo-s0', 'ai_suggestions', true],
    ]);
  });

  it('without a rollback action a deploy has no undo', () => {
    expect(undoSteps([{ kind: 'deploy', action: 'deploy', gates: [] }], [0], ['traffic'])).toEqual([]);
  });
});

describe('rolling back a finished release walks back its stages', () => {
  it('turns its flag off and reverses its migration, newest first', () => {
    const p = plan(runbookStages);
    const first = startRollbackRelease(
      {
        ...input(p),
        id: 'checkout-production-2',
        reason: 'latency regression',
        over: { stages: runbookStages, started: [0, 1, 2, 3, 4, 5] },
      },
      new Date('2026-11-24T18:00:00Z'),
    );
    const s = new Simulator(first);
    s.runUntil(isFinal);
    expect(s.release.state).toBe('rolled_back');
    expect(s.ran).toEqual(['traffic', 'ai_suggestions', 'rollback', 'migrate_down']);
  });
});

describe('a dry run prints the walk it would take', () => {
  it('lists traffic 0, the flag off, rollback and migrate_down in order', () => {
    const s = sim(plan(runbookStages), {}, { dryRun: true });
    const text = s.posts().join('\n');
    expect(text).toContain('A rollback would walk back');
    const order = [
      'traffic to 0%',
      'launchdarkly flag ai_suggestions off',
      './ops/rollback.sh v1.2.2',
      './ops/migrate.sh down',
    ];
    const from = text.indexOf('A rollback would walk back');
    const at = order.map((t) => text.indexOf(t, from));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain('Database migration');
  });
});
