// resolvedWithin: the work's value when it is in time, the fallback when it is not.
import { describe, expect, it } from 'vitest';
import { resolvedWithin } from '../../src/time-limit.ts';

const after = <T>(ms: number, value: T) => new Promise<T>((r) => setTimeout(() => r(value), ms));

describe('resolvedWithin', () => {
  it.each([
    ['already resolved', Promise.resolve('done'), 50, 'done'],
    ['resolves in time', after(5, 'done'), 200, 'done'],
    ['resolves too late', after(300, 'done'), 20, 'late'],
    ['never resolves', new Promise<string>(() => {}), 20, 'late'],
  ])('%s', async (_what, work, ms, expected) => {
    expect(await resolvedWithin(work, ms, 'late')).toBe(expected);
  });
});
