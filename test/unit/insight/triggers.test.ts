import { describe, expect, it } from 'vitest';
import { jobsForBatch, jobsForSample } from '../../../src/insight/triggers.ts';
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

describe('insight jobs from a dispatched batch', () => {
  it.each<[string, Effect[], boolean, string[]]>([
    [
      'the start of a release asks for its changelog',
      [{ type: 'updateCard' }, preflight],
      true,
      ['r1-insight-changelog'],
    ],
    ['a card-only batch asks for nothing, even first', [{ type: 'updateCard' }], true, []],
    ['a later batch does not ask again', [{ type: 'updateCard' }, preflight], false, []],
    ['the deploy stage starts the GitHub deployment', [deploy], false, ['r1-insight-deploy-1']],
    [
      'the end of a release reports it',
      [{ type: 'releaseLock' }, { type: 'updateCard' }],
      false,
      ['r1-insight-ended'],
    ],
  ])('%s', (_what, effects, first, ids) => {
    expect(jobsForBatch('r1', effects, first).map((j) => j.jobId)).toEqual(ids);
  });

  it('gives the same ids for the same batch (a repeated dispatch queues nothing new)', () => {
    expect(jobsForBatch('r1', [deploy], true)).toEqual(jobsForBatch('r1', [deploy], true));
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
    const jobs = jobsForSample(base, sampled(over));
    expect(jobs).toHaveLength(count);
    if (count) expect(jobs[0]?.jobId).toBe('r1-insight-chart-breach-e4');
  });
});
