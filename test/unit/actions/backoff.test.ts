import { describe, expect, it } from 'vitest';
import { AbortedError, backoffDelay, parseRetryAfter, sleep } from '../../../src/actions/backoff.ts';

describe('backoffDelay', () => {
  const policy = (random: number) => ({ baseMs: 500, capMs: 10_000, random: () => random });
  const cases: [number, number, number][] = [
    // retry, random, delay: base·2^retry capped at 10 s, then a point in its upper half
    [0, 0, 250],
    [0, 0.999999, 500],
    [1, 0, 500],
    [1, 0.5, 750],
    [2, 0, 1000],
    [3, 1 - 1e-9, 4000],
    [4, 0, 4000],
    [5, 0, 5000],
    [5, 1 - 1e-9, 10_000],
    [20, 0, 5000],
  ];
  it.each(cases)('retry %i, random %f → %i ms', (retry, random, delay) => {
    expect(backoffDelay(retry, policy(random))).toBe(delay);
  });

  it('jitters within [d/2, d]', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(2, { baseMs: 100, capMs: 10_000 });
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-06-01T12:00:00Z');
  const cases: [string | undefined, number | null][] = [
    [undefined, null],
    ['1', 1000],
    ['0', 0],
    [' 120 ', 120_000],
    ['1.5', 1500],
    ['Sat, 01 Jun 2024 12:00:30 GMT', 30_000],
    ['Sat, 01 Jun 2024 11:00:00 GMT', 0],
    ['soon', null],
  ];
  it.each(cases)('%s → %s', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });
});

describe('sleep', () => {
  it('rejects at once when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(10_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortedError);
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('resolves after the delay', async () => {
    const started = Date.now();
    await sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
