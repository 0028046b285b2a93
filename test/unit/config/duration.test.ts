import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/config/duration.ts';
import { durationSchema } from '../../../src/config/schema.ts';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2000],
    ['30m', 1_800_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    [' 5m ', 300_000],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '5', 'm5', '5 m', '-5m', '5y'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it.each([
    [500, '500ms'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [86_400_000 + 3_600_000, '1d1h'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('takes a bare number in the runbook as seconds', () => {
    expect(durationSchema.parse(30)).toBe(30_000);
  });

  it('explains a bad duration', () => {
    const result = durationSchema.safeParse('soon');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('expected a duration like');
  });
});
