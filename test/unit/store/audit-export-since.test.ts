import { describe, expect, it } from 'vitest';
import { parseSince } from '../../../src/cli/audit-export.ts';

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
