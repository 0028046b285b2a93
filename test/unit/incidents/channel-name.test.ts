import { describe, expect, it } from 'vitest';
import { incidentChannelName, MAX_CHANNEL_NAME, slugify } from '../../../src/incidents/channel-name.ts';
import { channelNameError } from '../../../src/sandbox/workspace/methods-conversations.ts';

const NOW = new Date('2026-11-23T22:30:00Z');

describe('incident channel names', () => {
  it.each([
    ['Checkout errors after v1.2.3', 'checkout-errors-after-v1-2-3'],
    ['  Payments DOWN!!! ', 'payments-down'],
    ['Café crème: 50% de pertes', 'cafe-creme-50-de-pertes'],
    ['Straße ≠ street', 'stra-e-street'],
    ['Ünïcödé — dashes – and “quotes”', 'unicode-dashes-and-quotes'],
    ['🔥🔥🔥', ''],
    ['日本語のタイトル', ''],
    ['a/b\\c_d.e', 'a-b-c-d-e'],
    ['---', ''],
  ])('slugifies %j as %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it.each([
    [{ title: 'Checkout errors after v1.2.3' }, 'inc-20261123-checkout-errors-after-v1-2-3'],
    [{ title: 'Checkout errors after v1.2.3', attempt: 2 }, 'inc-20261123-checkout-errors-after-v1-2-3-2'],
    [{ title: 'Checkout errors', attempt: 13 }, 'inc-20261123-checkout-errors-13'],
    [{ title: '🔥🔥🔥' }, 'inc-20261123-incident'],
    [{ title: '!!!', attempt: 3 }, 'inc-20261123-incident-3'],
    [{ title: 'db down', prefix: 'Incident' }, 'incident-20261123-db-down'],
    [{ title: 'db down', prefix: '***' }, 'inc-20261123-db-down'],
  ])('names %j %s', (input, name) => {
    expect(incidentChannelName({ now: NOW, ...input })).toBe(name);
  });

  it('uses the UTC date of the declaration', () => {
    expect(incidentChannelName({ title: 'x', now: new Date('2026-12-31T23:59:59-05:00') })).toBe(
      'inc-20270101-x',
    );
  });

  it.each([1, 2, 9, 10, 99, 100])(
    'keeps a long title within 80 characters with suffix -%i, without a trailing dash',
    (attempt) => {
      const title = `${'word '.repeat(40)}end`;
      const name = incidentChannelName({ title, now: NOW, attempt });
      expect(name.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME);
      expect(name).not.toMatch(/--/);
      expect(name).toMatch(attempt > 1 ? new RegExp(`[a-z0-9]-${attempt}$`) : /[a-z0-9]$/);
    },
  );

  it('produces names Slack accepts for any title', () => {
    const titles = [
      'Checkout errors',
      '',
      ' ',
      'x'.repeat(500),
      'é'.repeat(200),
      '<script>',
      'a_b',
      'UPPER lower 123',
    ];
    for (const title of titles) {
      for (const attempt of [1, 2, 57]) {
        const name = incidentChannelName({
          title,
          now: NOW,
          attempt,
          prefix: 'A very long prefix that goes on and on',
        });
        expect(channelNameError(name), `${title} → ${name}`).toBeUndefined();
      }
    }
  });
});
