import { describe, expect, it } from 'vitest';
import {
  deploy,
  errorRateOf,
  isBadVersion,
  rollback,
  shift,
  simulate,
  type TrafficState,
} from '../../../src/sandbox/demo/traffic-model.ts';
import { evaluate } from '../../../src/sandbox/demo/query.ts';

describe('the demo traffic model', () => {
  it.each([
    ['v1.3.0-bad', true],
    ['1.3.1-bad.2', true],
    ['v1.3.0-rc.bad', true],
    ['v1.3.0', false],
    ['v1.3.0+bad', false],
    ['badc0de', false],
  ])('%s is bad: %s', (version, bad) => {
    expect(isBadVersion(version)).toBe(bad);
    expect(errorRateOf(version)).toBe(bad ? 0.05 : 0.001);
  });

  it('deploys beside the stable version, shifts traffic, promotes at 100% and rolls back', () => {
    let s: TrafficState = { stable: 'v1.2.0', canary: null, weight: 0 };
    s = deploy(s, 'v1.3.0');
    expect(s).toEqual({ stable: 'v1.2.0', canary: 'v1.3.0', weight: 0 });
    s = shift(s, 10);
    expect(s.weight).toBe(10);
    expect(rollback(s, 'v1.2.0')).toEqual({ stable: 'v1.2.0', canary: null, weight: 0 });
    s = shift(s, 100);
    expect(s).toEqual({ stable: 'v1.3.0', canary: null, weight: 0 });
  });

  it('splits requests by weight and gives a bad canary a 5% error rate', () => {
    const s: TrafficState = { stable: 'v1.2.0', canary: 'v1.3.0-bad', weight: 10 };
    const ticks = Array.from({ length: 60 }, (_, i) => simulate(s, 1000, i * 1000, () => 0.5)).flat();
    const canary = evaluate(
      'sum(rate(http_requests_total{version="v1.3.0-bad",code=~"5.."}[1m])) / sum(rate(http_requests_total{version="v1.3.0-bad"}[1m]))',
      ticks,
      60_000,
    );
    expect(canary.ok && canary.value).toBeCloseTo(0.05, 2);
    const stable = evaluate(
      'sum(rate(http_requests_total{version="v1.2.0",code=~"5.."}[1m])) / sum(rate(http_requests_total{version="v1.2.0"}[1m]))',
      ticks,
      60_000,
    );
    expect(stable.ok && stable.value).toBeLessThan(0.005);
  });

  it('answers no data for a version without traffic, and refuses unknown queries', () => {
    expect(
      evaluate(
        'sum(rate(http_requests_total{version="v9",code=~"5.."}[30s])) / sum(rate(http_requests_total{version="v9"}[30s]))',
        [],
        0,
      ),
    ).toEqual({ ok: true, value: null });
    expect(evaluate('rate(foo[1m])', [], 0).ok).toBe(false);
    expect(evaluate('up', [], 0)).toEqual({ ok: true, value: 1 });
  });
});
