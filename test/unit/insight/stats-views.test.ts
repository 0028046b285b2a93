import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseReleaseCommand } from '../../../src/slack/parse/release-command.ts';
import { statsHomeBlocks, statsText } from '../../../src/slack/views/stats.ts';
import { changelogText } from '../../../src/slack/views/insight.ts';
import { registerDeliveryGauges } from '../../../src/observability/delivery-gauges.ts';
import type { DeliveryFigures, DeliveryReport } from '../../../src/insight/stats.ts';
import { summarize } from '../../../src/insight/changelog.ts';
import { validateBlocks } from '../../../src/slack/blockkit.ts';

const names = { services: ['checkout', 'search'], environments: ['production'] };

describe('/release stats parsing', () => {
  it.each([
    ['stats', { verb: 'stats', days: 30 }],
    ['stats checkout', { verb: 'stats', service: 'checkout', days: 30 }],
    ['stats --days 7', { verb: 'stats', days: 7 }],
    ['stats search --days 90', { verb: 'stats', service: 'search', days: 90 }],
    ['stats --days 1 checkout', { verb: 'stats', service: 'checkout', days: 1 }],
  ])('%s', (text, command) => {
    expect(parseReleaseCommand(text, names)).toEqual({ ok: true, command });
  });

  it.each([
    ['stats --days', /--days takes a whole number/],
    ['stats --days 0', /--days takes a whole number/],
    ['stats --days 9999', /--days takes a whole number/],
    ['stats --days abc', /--days takes a whole number/],
    ['stats billing', /Unexpected "billing" after \/release stats/],
  ])('refuses %s', (text, error) => {
    const parsed = parseReleaseCommand(text, names);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});

const figures = (over: Partial<DeliveryFigures> = {}): DeliveryFigures => ({
  deployments: 12,
  deploymentsPerDay: 0.4,
  changes: 14,
  failedChanges: 2,
  changeFailureRate: 2 / 14,
  restores: 2,
  timeToRestoreMs: 47 * 60_000,
  leadTimeSamples: 10,
  leadTimeMs: 26 * 3600_000,
  rollbacksPreventedByGates: 1,
  ...over,
});

const report: DeliveryReport = {
  days: 30,
  since: '2026-03-01T12:00:00.000Z',
  until: '2026-03-31T12:00:00.000Z',
  overall: figures(),
  services: {
    checkout: figures(),
    search: figures({
      deployments: 0,
      deploymentsPerDay: 0,
      changes: 0,
      failedChanges: 0,
      changeFailureRate: null,
      restores: 0,
      timeToRestoreMs: null,
      leadTimeSamples: 0,
      leadTimeMs: null,
      rollbacksPreventedByGates: 0,
    }),
  },
};

describe('delivery figures in Slack', () => {
  it('writes each figure for people, with what it was measured over', () => {
    const text = statsText(report, 'checkout');
    expect(text).toContain('*Delivery figures, last 30 days* (since 2026-03-01');
    expect(text).toContain('Deployments: *12* (2.8/week)');
    expect(text).toContain('Change failure rate: *14.3%* (2 of 14 changes');
    expect(text).toContain('Time to restore: *47m* (median of 2)');
    expect(text).toContain('Lead time for changes: *1d2h*');
    expect(text).toContain('Rollbacks prevented by gates: *1*');
  });

  it('shows a dash, not zero, for what has nothing to measure', () => {
    const text = statsText(report);
    expect(text).toContain('*search*: 0 deployments (0/day) · failure rate — · restore — · lead time —');
  });

  it('adds a valid Home section', () => {
    const blocks = statsHomeBlocks(report);
    expect(validateBlocks(blocks, { surface: 'home' })).toEqual([]);
    expect(JSON.stringify(blocks)).toContain('Delivery, last 30 days');
  });
});

describe('the changelog on the card', () => {
  const commits = Array.from({ length: 13 }, (_, i) => ({
    sha: `${i}`.padStart(40, 'f'),
    subject: i === 0 ? 'Escape <b>&</b> in <!channel>' : `Change ${i}`,
    author: 'Ada',
    at: '2026-01-01T00:00:00.000Z',
  }));
  it('lists the first ten with short SHAs and authors, then "and N more", escaped', () => {
    const text = changelogText(summarize('v1.0.0', 'v1.1.0', commits));
    expect(text.split('\n')[0]).toBe('*Changes since v1.0.0* (13 commits)');
    expect(text).toContain('• `fffffff` Escape &lt;b&gt;&amp;&lt;/b&gt; in &lt;!channel&gt; — Ada');
    expect(text.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(10);
    expect(text.split('\n').at(-1)).toBe('_and 3 more_');
  });
  it('says when there are no new commits', () => {
    expect(changelogText(summarize('v1.0.0', 'v1.0.1', []))).toContain('_No new commits._');
  });
});

describe('/metrics gauges', () => {
  it('exposes every figure per service and overall, and leaves out what has nothing to measure', async () => {
    const registry = new Registry();
    registerDeliveryGauges(registry, async () => report);
    const text = await registry.metrics();
    expect(text).toContain('runway_deployments_per_day{service="all"} 0.4');
    expect(text).toContain('runway_change_failure_ratio{service="checkout"} 0.14285714285714285');
    expect(text).not.toContain('runway_change_failure_ratio{service="search"}');
    expect(text).toContain('runway_time_to_restore_seconds{service="checkout"} 2820');
    expect(text).toContain('runway_lead_time_seconds{service="all"} 93600');
    expect(text).toContain('runway_rollbacks_prevented_by_gates{service="search"} 0');
    expect(text).toContain('runway_delivery_window_days 30');
  });
});
