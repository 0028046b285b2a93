import { describe, expect, it } from 'vitest';
import {
  isWithinWindows,
  parseWindow,
  windowRefusal,
  type TimeWindow,
  type Windows,
} from '../../../src/config/windows.ts';

function window(text: string): TimeWindow {
  const parsed = parseWindow(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.window;
}

function windows(timezone: string, ...allow: string[]): Windows {
  return { timezone, allow: allow.map(window) };
}

const MON = 1,
  TUE = 2,
  WED = 3,
  THU = 4,
  FRI = 5,
  SAT = 6,
  SUN = 7;

describe('parseWindow', () => {
  it.each([
    ['Tue-Thu 10:00-16:00', [TUE, WED, THU], 600, 960],
    ['Mon 09:00-17:30', [MON], 540, 1050],
    ['Mon,Wed,Fri 10:00-12:00', [MON, WED, FRI], 600, 720],
    ['Mon-Fri 22:00-02:00', [MON, TUE, WED, THU, FRI], 1320, 120],
    ['Fri-Mon 08:00-09:00', [MON, FRI, SAT, SUN], 480, 540],
    ['Mon-Wed,Fri 9:00-10:00', [MON, TUE, WED, FRI], 540, 600],
    ['tuesday - thursday 10:00 - 16:00', [TUE, WED, THU], 600, 960],
    ['10:00-16:00', [MON, TUE, WED, THU, FRI, SAT, SUN], 600, 960],
    ['Sat-Sun', [SAT, SUN], 0, 1440],
    ['weekdays 09:00-24:00', [MON, TUE, WED, THU, FRI], 540, 1440],
    ['always', [MON, TUE, WED, THU, FRI, SAT, SUN], 0, 1440],
    ['*', [MON, TUE, WED, THU, FRI, SAT, SUN], 0, 1440],
  ])('reads %j', (text, days, startMinute, endMinute) => {
    expect(parseWindow(text)).toEqual({
      ok: true,
      window: { text: text.trim(), days, startMinute, endMinute },
    });
  });

  it.each([
    ['', 'an empty window'],
    ['Funday 10:00-11:00', '"funday" is not a day'],
    ['Mon 25:00-26:00', 'times are HH:MM'],
    ['Mon 10:60-11:00', 'times are HH:MM'],
    ['Mon 24:00-02:00', 'times are HH:MM'],
    ['Mon 10:00-10:00', 'starts and ends at the same time'],
    ['Mon 10-12', 'is not a day or day range'],
    ['Mon-weekends 10:00-11:00', 'is not a day or day range'],
  ])('refuses %j', (text, error) => {
    const parsed = parseWindow(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(error);
  });
});

describe('isWithinWindows', () => {
  const la = windows('America/Los_Angeles', 'Tue-Thu 10:00-16:00');

  it.each([
    ['a Tuesday at 10:00 in summer (PDT)', '2025-06-10T17:00:00Z', true],
    ['a Tuesday at 09:59 in summer', '2025-06-10T16:59:00Z', false],
    ['a Thursday at 15:59', '2025-06-12T22:59:00Z', true],
    ['a Thursday at 16:00 (the end is not inside)', '2025-06-12T23:00:00Z', false],
    ['a Tuesday at 10:00 in winter (PST)', '2025-01-14T18:00:00Z', true],
    ['a Tuesday at 09:30 in winter', '2025-01-14T17:30:00Z', false],
    ['a Monday at noon', '2025-06-09T19:00:00Z', false],
  ])('is %s open: %s', (_label, now, open) => {
    expect(isWithinWindows(la, new Date(now)).open).toBe(open);
  });

  it('gives the next opening when closed, in the window time zone', () => {
    expect(isWithinWindows(la, new Date('2025-06-10T16:59:00Z'))).toEqual({
      open: false,
      next: new Date('2025-06-10T17:00:00Z'),
      description: 'Tue-Thu 10:00-16:00 America/Los_Angeles',
    });
    expect(isWithinWindows(la, new Date('2025-06-12T23:00:00Z')).next).toEqual(
      new Date('2025-06-17T17:00:00Z'),
    );
  });

  it('finds the next opening across a daylight-saving change by wall clock, not by fixed offset', () => {
    // Friday 7 March 2025 in PST; DST starts Sunday 9 March; Tuesday 10:00 PDT is 17:00 UTC, not 18:00.
    expect(isWithinWindows(la, new Date('2025-03-07T20:00:00Z')).next).toEqual(
      new Date('2025-03-11T17:00:00Z'),
    );
    // And back: Tuesday 4 November 2025 10:00 PST is 18:00 UTC.
    expect(isWithinWindows(la, new Date('2025-10-31T20:00:00Z')).next).toEqual(
      new Date('2025-11-04T18:00:00Z'),
    );
  });

  it('opens a window that starts inside a skipped hour when the clock reaches it', () => {
    // Europe/Paris skips 02:00-03:00 on 30 March 2025; a 02:30 start opens at 03:30 CEST (01:30 UTC).
    const paris = windows('Europe/Paris', 'Sun 02:30-03:30');
    expect(isWithinWindows(paris, new Date('2025-03-29T12:00:00Z')).next).toEqual(
      new Date('2025-03-30T01:30:00Z'),
    );
  });

  describe('a window crossing midnight belongs to its start day', () => {
    const nights = windows('UTC', 'Mon-Fri 22:00-02:00');
    it.each([
      ['Friday 23:00', '2025-06-13T23:00:00Z', true],
      ['Saturday 01:30 (Friday night)', '2025-06-14T01:30:00Z', true],
      ['Saturday 02:00', '2025-06-14T02:00:00Z', false],
      ['Monday 01:00 (Sunday night, not listed)', '2025-06-16T01:00:00Z', false],
      ['Monday 21:59', '2025-06-16T21:59:00Z', false],
      ['Monday 22:00', '2025-06-16T22:00:00Z', true],
      ['Tuesday 01:59 (Monday night)', '2025-06-17T01:59:00Z', true],
    ])('%s open: %s', (_label, now, open) => {
      expect(isWithinWindows(nights, new Date(now)).open).toBe(open);
    });

    it('opens next on Monday night after a weekend', () => {
      expect(isWithinWindows(nights, new Date('2025-06-14T03:00:00Z')).next).toEqual(
        new Date('2025-06-16T22:00:00Z'),
      );
    });
  });

  it('is open in any of several windows and opens next at the earliest', () => {
    const two = windows('UTC', 'Mon 10:00-11:00', 'Wed 09:00-10:00');
    expect(isWithinWindows(two, new Date('2025-06-11T09:30:00Z')).open).toBe(true);
    expect(isWithinWindows(two, new Date('2025-06-10T12:00:00Z')).next).toEqual(
      new Date('2025-06-11T09:00:00Z'),
    );
    expect(isWithinWindows(two, new Date('2025-06-11T12:00:00Z')).next).toEqual(
      new Date('2025-06-16T10:00:00Z'),
    );
  });

  it('is always open with no windows', () => {
    expect(isWithinWindows({ timezone: 'UTC', allow: [] }, new Date('2025-06-14T03:00:00Z'))).toEqual({
      open: true,
      description: 'any time',
    });
  });

  it('is always open with "always"', () => {
    expect(isWithinWindows(windows('Asia/Tokyo', 'always'), new Date('2025-06-15T03:00:00Z')).open).toBe(
      true,
    );
  });
});

describe('windowRefusal', () => {
  it('says when releases are allowed, when the next window opens and how to override', () => {
    const text = windowRefusal({
      service: 'checkout',
      environment: 'production',
      windows: windows('America/Los_Angeles', 'Tue-Thu 10:00-16:00'),
      now: new Date('2025-06-10T03:00:00Z'), // Monday 20:00 PDT
    });
    expect(text).toBe(
      'Production releases of checkout are allowed Tue-Thu 10:00-16:00 America/Los_Angeles; ' +
        'next window opens Tue 10:00 (in 14h). Use --hotfix "reason" to override.',
    );
  });

  it('rounds the wait up to the minute', () => {
    const text = windowRefusal({
      service: 'api',
      environment: 'staging',
      windows: windows('UTC', 'Mon 10:00-11:00'),
      now: new Date('2025-06-13T08:29:30Z'), // Friday
    });
    expect(text).toContain(
      'Staging releases of api are allowed Mon 10:00-11:00 UTC; next window opens Mon 10:00 (in 3d1h31m).',
    );
  });
});
