import { describe, expect, it } from 'vitest';
import { describeReading, isBlocking } from '../../../src/release/gates.ts';
import type { GatePolicy, GateReading } from '../../../src/release/types.ts';

const policy: GatePolicy = {
  name: 'error_rate',
  max: 0.005,
  forMs: 0,
  everyMs: 1000,
  noData: 'breach',
  source: 'q',
};
const at = '2026-12-01T00:00:00.000Z';

describe('describeReading says each thing once', () => {
  it.each([
    [{ value: 0.052, verdict: 'breach' as const }, '0.052 > max 0.005'],
    [{ value: null, verdict: 'no_data' as const }, 'no data'],
    [
      { value: null, verdict: 'no_data' as const, error: 'Prometheus unreachable' },
      'no data (Prometheus unreachable)',
    ],
    [
      { value: null, verdict: 'no_data' as const, error: 'no data: the query returned an empty vector' },
      'no data (the query returned an empty vector)',
    ],
  ])('%j → %s', (reading, text) => {
    expect(describeReading(policy, { ...reading, at, samples: 1, seq: 1 })).toBe(text);
  });
});

describe('isBlocking: does a reading hold the end of a stage', () => {
  const reading = (over: Partial<GateReading>): GateReading => ({
    value: null,
    verdict: 'no_data',
    at,
    samples: 3,
    seq: 3,
    ...over,
  });
  it.each([
    ['breach', { verdict: 'breach' as const, value: 0.05 }, 'breach', true],
    ['ok', { verdict: 'ok' as const, value: 0.001 }, 'breach', false],
    ['no data, no_data: breach', {}, 'breach', true],
    ['no data, no_data: wait', {}, 'wait', true],
    ['no data, no_data: ignore', {}, 'ignore', false],
    ['ignored no data during a breach', { breachSince: at }, 'ignore', true],
    ['never sampled', { samples: 0 }, 'ignore', true],
  ] as const)('%s → %s', (_name, over, noData, blocks) => {
    expect(isBlocking({ ...policy, noData }, reading(over))).toBe(blocks);
  });
});
