import { describe, expect, it } from 'vitest';
import { chartOnBreach, insightEffects, type InsightEffect } from '../../../src/insight/triggers.ts';
import { countedSample } from '../../../src/insight/samples.ts';
import type { Effect, Release } from '../../../src/release/types.ts';

const deploy: Effect = {
  type: 'runAction',
  key: 'r1-s0-a1',
  action: 'deploy',
  vars: {},
  purpose: { kind: 'stage', stageIndex: 0, attempt: 1, epoch: 3 },
};
const preflight: Effect = {
  type: 'runAction',
  key: 'r1-pre-ci',
  action: 'preflight:ci',
  vars: {},
  purpose: { kind: 'preflight', itemId: 'ci', attempt: 1 },
};
const jobIds = (fx: InsightEffect[]) => fx.flatMap((e) => (e.type === 'insightJob' ? [e.jobId] : []));
const plan = (gates: string[]) => ({
  stages: [
    { kind: 'deploy', gates: [] },
    { kind: 'traffic', gates },
  ],
});
const rel = (over: Partial<Release> = {}) =>
  ({ id: 'r1', kind: 'release', state: 'running', plan: plan([]), ...over }) as Release;
const gated = { plan: plan(['error_rate']) } as Partial<Release>;

describe('insight work written with a decision', () => {
  it.each<[string, Release | null, Release, Effect[], string[]]>([
    [
      'a new release asks for its changelog',
      null,
      rel(),
      [{ type: 'updateCard' }, preflight],
      ['r1-insight-changelog'],
    ],
    ['a rollback release has no changelog', null, rel({ kind: 'rollback' }), [preflight], []],
    ['a later decision does not ask again', rel(), rel(), [{ type: 'updateCard' }, preflight], []],
    ['the deploy stage starts the GitHub deployment', rel(), rel(), [deploy], ['r1-insight-deploy-1']],
    [
      'the end of a release reports it',
      rel(),
      rel(),
      [{ type: 'releaseLock' }, { type: 'updateCard' }],
      ['r1-insight-ended'],
    ],
    [
      'a completed release with gates gets its chart in a job of its own, apart from the GitHub report',
      rel(gated),
      rel({ ...gated, state: 'completed' }),
      [{ type: 'releaseLock' }],
      ['r1-insight-ended', 'r1-insight-chart-completed'],
    ],
    [
      'a completed release without gates has no chart',
      rel(),
      rel({ state: 'completed' }),
      [{ type: 'releaseLock' }],
      ['r1-insight-ended'],
    ],
    [
      'a release rolled back has no completion chart',
      rel(gated),
      rel({ ...gated, state: 'rolled_back' }),
      [{ type: 'releaseLock' }],
      ['r1-insight-ended'],
    ],
  ])('%s', (_what, before, after, effects, ids) => {
    expect(jobIds(insightEffects(before, after, effects))).toEqual(ids);
  });

  it('gives the same ids for the same decision (a repeated dispatch queues nothing new)', () => {
    expect(insightEffects(rel(), rel(), [deploy])).toEqual(insightEffects(rel(), rel(), [deploy]));
  });
});

const base = {
  id: 'r1',
  epoch: 4,
  state: 'running',
  stageIndex: 1,
  traffic: 10,
  gates: { error_rate: { value: 0.001, verdict: 'ok', at: '2026-01-01T00:00:00.000Z', samples: 3, seq: 7 } },
} as unknown as Release;
const sampled = (over: Partial<Release>, reading: Record<string, unknown> = {}) =>
  ({
    ...base,
    ...over,
    gates: {
      error_rate: {
        ...base.gates.error_rate,
        seq: 8,
        value: 0.02,
        verdict: 'breach',
        at: '2026-01-01T00:00:30.000Z',
        ...reading,
      },
    },
  }) as Release;

const sample = (seq: number) =>
  ({ type: 'gateSampled', gate: 'error_rate', epoch: 4, seq, value: 0.02 }) as const;

describe('charts and samples from a gate sample', () => {
  it('keeps the sample the machine counted, with the stage and traffic', () => {
    expect(countedSample('error_rate', base, sampled({}))).toEqual({
      gate: 'error_rate',
      at: '2026-01-01T00:00:30.000Z',
      value: 0.02,
      verdict: 'breach',
      stageIndex: 1,
      traffic: 10,
    });
  });

  it('keeps nothing for a sample the machine ignored (stale or repeated)', () => {
    expect(countedSample('error_rate', base, base)).toBeNull();
  });

  it.each<[string, Partial<Release>, number]>([
    [
      'an automatic rollback',
      { state: 'rolling_back', rollback: { automatic: true } as Release['rollback'] },
      1,
    ],
    ['a pause by a gate', { state: 'paused', pause: { by: 'runway', at: '', reason: 'x' } }, 1],
    ['a breach still inside its "for"', { state: 'running' }, 0],
  ])('charts %s', (_what, over, count) => {
    const jobs = chartOnBreach(base, sampled(over), sample(7));
    expect(jobs).toHaveLength(count);
    if (count) expect(jobIds(jobs)).toEqual(['r1-insight-chart-breach-e4-error_rate-7']);
  });

  it('names each breach by its sample: a second pause in the same stage gets its own chart', () => {
    const paused = sampled({ state: 'paused', pause: { by: 'runway', at: '', reason: 'x' } });
    const first = chartOnBreach(base, paused, sample(7));
    const again = chartOnBreach(base, paused, sample(12));
    expect([...jobIds(first), ...jobIds(again)]).toEqual([
      'r1-insight-chart-breach-e4-error_rate-7',
      'r1-insight-chart-breach-e4-error_rate-12',
    ]);
    expect(first[0]).toMatchObject({ data: { why: 'breach', breach: 'e4-error_rate-7' } });
    // The same decision dispatched again names the same breach.
    expect(chartOnBreach(base, paused, sample(7))).toEqual(first);
  });
});

describe('a gate sample applied by the engine', () => {
  it('keeps the counted sample and charts the breach that began a rollback, in that order', () => {
    const after = sampled({ state: 'rolling_back', rollback: { automatic: true } as Release['rollback'] });
    const event = { type: 'gateSampled', gate: 'error_rate', epoch: 4, seq: 7, value: 0.02 } as const;
    const fx = insightEffects(base, after, [{ type: 'updateCard' }], event);
    expect(fx.map((e) => e.type)).toEqual(['keepSample', 'insightJob']);
    expect(fx[0]).toMatchObject({ sample: { gate: 'error_rate', value: 0.02, verdict: 'breach' } });
  });

  it('keeps nothing for a sample the machine ignored', () => {
    const event = { type: 'gateSampled', gate: 'error_rate', epoch: 4, seq: 6, value: 0.02 } as const;
    expect(insightEffects(base, base, [], event)).toEqual([]);
  });
});
