import { describe, expect, it } from 'vitest';
import { parseExportArgs, parseSince } from '../../../src/cli/audit-export.ts';

describe('audit export --since', () => {
  it.each([
    ['2025-01-31', '2025-01-31T00:00:00.000Z'],
    ['2025-01-31T09:30:00Z', '2025-01-31T09:30:00.000Z'],
    ['2025-01-31T09:30:00.250+02:00', '2025-01-31T07:30:00.250Z'],
  ])('accepts the ISO date %s', (text, iso) => {
    expect(parseSince(text).toISOString()).toBe(iso);
  });

  it.each(['yesterday', '1', '2025-13-45', '31/01/2025', ''])(
    'refuses %j with an example of what works',
    (text) => {
      expect(() => parseSince(text)).toThrow(/--since expects an ISO date such as 2025-01-31/);
    },
  );
});

describe('audit export --since as a duration', () => {
  const now = new Date('2025-03-10T12:00:00.000Z');
  it.each([
    ['24h', '2025-03-09T12:00:00.000Z'],
    ['7d', '2025-03-03T12:00:00.000Z'],
    ['90m', '2025-03-10T10:30:00.000Z'],
  ])('reads %s back from now', (text, iso) => {
    expect(parseSince(text, now).toISOString()).toBe(iso);
  });
});

describe('audit export arguments', () => {
  it.each([
    [['export'], {}],
    [['export', '--since', '2025-01-31'], { since: '2025-01-31' }],
    [['export', '--since=2025-01-31'], { since: '2025-01-31' }],
    [['export', '--since=24h'], { since: '24h' }],
  ])('reads %j', (args, expected) => {
    expect(parseExportArgs(args)).toEqual(expected);
  });

  // Each of these once exported the whole log, as if no filter had been asked for (or failed late).
  it.each([
    [['export', '--sinse', '2025-01-31'], /unknown argument "--sinse"/],
    [['export', '2025-01-31'], /unknown argument "2025-01-31"/],
    [['export', '--since'], /--since needs a date or a duration/],
    [['export', '--since='], /--since needs a date or a duration/],
    [['export', '--since', '1d', '--since', '2d'], /given twice/],
    [['exprot'], /usage: runway audit export/],
  ])('refuses %j', (args, message) => {
    const parsed = parseExportArgs(args);
    expect('error' in parsed && parsed.error).toMatch(message);
  });
});
