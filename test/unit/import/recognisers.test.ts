// Each recogniser against the sentences the reference runbooks use, and the near misses that must
// not match (a discount, a version, a threshold, a share of users, a timeline mark).
import { citeText } from '../../../src/import/cite.ts';
import { describe, expect, it } from 'vitest';
import { findApprovals } from '../../../src/import/recognise/approvals.ts';
import { findDurations, findHold, findSustained } from '../../../src/import/recognise/duration.ts';
import { withoutComment } from '../../../src/import/recognise/commands.ts';
import { commandTraffic, proseTraffic } from '../../../src/import/recognise/percent.ts';
import { findThresholds } from '../../../src/import/recognise/threshold.ts';
import { findWindow, findWindows } from '../../../src/import/recognise/window.ts';

describe('traffic percentages in prose', () => {
  it.each([
    ['1. **Enable 10%** of traffic to new version', [10]],
    ['Increase to 50% if metrics stable', [50]],
    ['Complete rollout to 100%', [100]],
    ['Canary Phase (10% traffic, 30min)', [10]],
    ['Route 10% of traffic to green environment', [10]],
    ['Ramp Phase (50% traffic, 1hr)', [50]],
    ['Phase 3: Ramp to 50% (T+35min to T+95min)', [50]],
    ['Route 100% traffic to green', [100]],
    ['Move to 50 percent of traffic', [50]],
    ['Route 75 percent of traffic', [75]],
    ['Shift 25 per cent of traffic to the canary', [25]],
  ])('%s → %j', (text, expected) => {
    expect(proseTraffic(text)).toEqual(expected);
  });

  it.each([
    ['Get a 10% discount on the annual plan'],
    ['Upgrade to version 1.10 before the release'],
    ['Schema compatibility: v1.1 + v2.0 coexist, 1.10% faster'],
    ['Error Rate: <1% across all endpoints'],
    ['Unit Tests: npm test (100% pass, >80% coverage)'],
    ['Enable new features for 10% of users (LaunchDarkly/Split.io)'],
    ['Day 2: Enable for 10% of pro users'],
    ['Test coverage meets threshold (≥80% or baseline +10%)'],
    ['Blue Environment: Current production (100% traffic)'],
    ['Green Environment: New release candidate (0% traffic initially)'],
    ['Database connections >80% → Scale database'],
  ])('%s → nothing', (text) => {
    expect(proseTraffic(text)).toEqual([]);
  });
});

describe('traffic percentages in commands', () => {
  it.each([
    ['wrangler routes update --weight blue=90 green=10', 10],
    ['wrangler routes update --weight blue=50 green=50', 50],
    ['wrangler routes update --weight blue=0 green=100', 100],
    ['  --to-revisions=LATEST=10  # Start with 10%', 10],
    ['gcloud run services update-traffic svc --to-revisions=LATEST=50', 50],
  ])('%s → %d', (line, expected) => {
    expect(commandTraffic(line)).toBe(expected);
  });

  it.each([
    ['  --to-revisions=<previous-revision>=100'],
    ['wrangler routes update --weight blue=100'],
    ['npm run feature:enable -- --flag=ai_suggestions --rollout=10'],
    ['FEAT_NEW_FEATURE_ROLLOUT_PERCENTAGE=10'],
    ['npm install left-pad@1.10'],
  ])('%s → nothing', (line) => {
    expect(commandTraffic(line)).toBeNull();
  });
});

describe('durations and holds', () => {
  it.each([
    ['Monitor SLO metrics for 15 minutes', '15m'],
    ['Monitor for additional 15 minutes', '15m'],
    ['# Monitor for 5-10 minutes, then increase', '10m'],
    ['Monitor same metrics as canary (1hr window)', '1h'],
    ['2.2 Monitor Canary Metrics (30min window)', '30m'],
    ['Canary Phase (10% traffic, 30min)', '30m'],
    ['Ramp Phase (50% traffic, 1hr)', '1h'],
    ['wait 90 seconds before the next step', '1m30s'],
    ['wait 1h30m', '1h30m'],
    ['Monitor for 1 hr 30 min', '1h30m'],
    ['Monitor for 1 hour and 30 minutes', '1h30m'],
    ['Canary Phase (10 percent traffic, 45min)', '45m'],
  ])('hold in %s → %s', (text, expected) => {
    expect(findHold(text)?.duration).toBe(expected);
  });

  it.each([
    ['Phase 4: Gradual Rollout (T+5min)'],
    ['Phase 1: Infrastructure Preparation (T-30min)'],
    ['Blue environment remains hot standby for 24hrs'],
    ['Increase to 50% if metrics stable'],
    ['Upgrade to v1.10 and monitor'],
  ])('no hold in %s', (text) => {
    expect(findHold(text)).toBeNull();
  });

  it.each([
    ['Error rate >5% for 5 minutes → rollback', '5m'],
    ['P99 latency >5s sustained 10min', '10m'],
    ['>0.5% error rate sustained for 5min', '5m'],
    ['window: 5m', '5m'],
    ['Queue Backlog: >1000 messages pending for 15min', '15m'],
    ['Error rate >1% for 1h30m', '1h30m'],
  ])('sustained in %s → %s', (text, expected) => {
    expect(findSustained(text)?.duration).toBe(expected);
  });

  it('reads units and ranges, and not versions', () => {
    expect(findDurations('30min, 1hr, 24hrs, 500ms, 2 seconds').map((d) => d.duration)).toEqual([
      '30m',
      '1h',
      '1d',
      '500ms',
      '2s',
    ]);
    expect(findDurations('v1.10 and 2.0.1')).toEqual([]);
    // Pieces in falling units are one duration; rising ones are two.
    expect(findDurations('1h30m, 1 hr 30 min, 5 minutes 2 hours').map((d) => [d.duration, d.text])).toEqual([
      ['1h30m', '1h30m'],
      ['1h30m', '1 hr 30 min'],
      ['5m', '5 minutes'],
      ['2h', '2 hours'],
    ]);
  });
});

describe('thresholds', () => {
  const row = (text: string) =>
    findThresholds(text).map((t) => ({
      metric: t.metric,
      [t.bound]: t.value,
      unit: t.unit,
      for: t.for?.duration,
    }));

  it.each([
    [
      'Error rate >5% for 5 minutes → **Immediate rollback**',
      [{ metric: 'error_rate', max: 0.05, unit: 'ratio', for: '5m' }],
    ],
    ['P99 latency > 5s sustained 10min', [{ metric: 'p99_latency', max: 5, unit: 's', for: '10m' }]],
    ['5xx rate > 1% for 5 minutes', [{ metric: '5xx_rate', max: 0.01, unit: 'ratio', for: '5m' }]],
    ['2 > 1', []],
    [
      'Latency P95 >20s for 10 minutes → Investigate/rollback',
      [{ metric: 'p95_latency', max: 20, unit: 's', for: '10m' }],
    ],
    [
      'API latency P95 > 3000ms → Warning alert',
      [{ metric: 'p95_latency', max: 3000, unit: 'ms', for: undefined }],
    ],
    [
      'Error Rate Spike: >0.5% error rate sustained for 5min',
      [{ metric: 'error_rate', max: 0.005, unit: 'ratio', for: '5m' }],
    ],
    [
      'API Availability: >99.9% success rate',
      [{ metric: 'availability', min: 0.999, unit: 'ratio', for: undefined }],
    ],
    [
      'Queue Backlog: >1000 messages pending for 15min',
      [{ metric: 'queue_backlog', max: 1000, unit: 'count', for: '15m' }],
    ],
    ['condition: error_rate > 5%', [{ metric: 'error_rate', max: 0.05, unit: 'ratio', for: undefined }]],
    ['Error rate exceeds 10%', [{ metric: 'error_rate', max: 0.1, unit: 'ratio', for: undefined }]],
    [
      'P50 Latency: <200ms (vs baseline <150ms)',
      [{ metric: 'p50_latency', max: 200, unit: 'ms', for: undefined }],
    ],
    [
      'Auto-rollback if error rate >0.5% or P99 latency >5s',
      [
        { metric: 'error_rate', max: 0.005, unit: 'ratio', for: undefined },
        { metric: 'p99_latency', max: 5, unit: 's', for: undefined },
      ],
    ],
    // A full stop ends the sentence, not the number.
    [
      '- Roll back if error rate exceeds 2%.',
      [{ metric: 'error_rate', max: 0.02, unit: 'ratio', for: undefined }],
    ],
    ['- Roll back if P99 latency >5s.', [{ metric: 'p99_latency', max: 5, unit: 's', for: undefined }]],
    [
      'Roll back if error rate > 1.5%. Then page.',
      [{ metric: 'error_rate', max: 0.015, unit: 'ratio', for: undefined }],
    ],
    // The comparison bounds a metric whose good side the name does not say.
    ['Apdex < 0.85 for 10 minutes → rollback', [{ metric: 'apdex', min: 0.85, unit: 'count', for: '10m' }]],
    [
      'Checkout conversion below 2%',
      [{ metric: 'checkout_conversion', min: 0.02, unit: 'ratio', for: undefined }],
    ],
    [
      'Free disk space falls under 10%',
      [{ metric: 'free_disk_space', min: 0.1, unit: 'ratio', for: undefined }],
    ],
    ['Signups drop below 40 for 15 minutes', [{ metric: 'signups', min: 40, unit: 'count', for: '15m' }]],
    [
      'Orders per minute less than 100',
      [{ metric: 'orders_per_minute', min: 100, unit: 'count', for: undefined }],
    ],
    [
      'p95 latency is higher than 2s for 10 minutes',
      [{ metric: 'p95_latency', max: 2, unit: 's', for: '10m' }],
    ],
    ['Queue depth greater than 500', [{ metric: 'queue_depth', max: 500, unit: 'count', for: undefined }]],
    ['Worker restarts more than 3', [{ metric: 'worker_restarts', max: 3, unit: 'count', for: undefined }]],
    ['Job runtime over 30s', [{ metric: 'job_runtime', max: 30, unit: 's', for: undefined }]],
    ['Error rate above 0.5 percent', [{ metric: 'error_rate', max: 0.005, unit: 'ratio', for: undefined }]],
    ['Error rate > 1% over 30s', [{ metric: 'error_rate', max: 0.01, unit: 'ratio', for: '30s' }]],
    // Each threshold takes the duration of its own clause.
    [
      'p99 >1s and error rate >2% for 5 minutes',
      [
        { metric: 'p99_latency', max: 1, unit: 's', for: undefined },
        { metric: 'error_rate', max: 0.02, unit: 'ratio', for: '5m' },
      ],
    ],
    [
      'Error rate > 1%, sustained for 5 minutes',
      [{ metric: 'error_rate', max: 0.01, unit: 'ratio', for: '5m' }],
    ],
  ])('%s', (text, expected) => {
    expect(row(text)).toEqual(expected);
  });

  it('reads a target and a breach of a metric with a known good side alike', () => {
    expect(findThresholds('P50 Latency: <200ms')).toMatchObject([{ bound: 'max', breach: false }]);
    expect(findThresholds('P50 latency >200ms')).toMatchObject([{ bound: 'max', breach: true }]);
    expect(findThresholds('API Availability: >99.9% success rate')).toMatchObject([
      { bound: 'min', breach: false },
    ]);
    expect(findThresholds('Availability below 99%')).toMatchObject([{ bound: 'min', breach: true }]);
  });

  it('takes the metric from a table row label', () => {
    expect(findThresholds('>70% sustained 30min', 'Database CPU')).toMatchObject([
      { metric: 'database_cpu', bound: 'max', value: 0.7, for: { duration: '30m' } },
    ]);
  });

  it.each([
    ['Get a 10% discount'],
    ['Upgrade to version 1.10'],
    ['Error rate above 1.2.3'],
    ['**Response Time: < 5 minutes**'],
    ['Test coverage meets threshold (≥80% or baseline +10%)'],
    ['Enable 10% of traffic'],
    // A change is not a level.
    ['Roll back if latency increases by more than 50%'],
    ['Error rate up by >20%'],
    ['Rollback if p99 is >30% over baseline'],
    ['Rollback if p99 latency more than 20% higher than before'],
  ])('%s → no threshold', (text) => {
    expect(findThresholds(text)).toEqual([]);
  });
});

describe('deploy windows', () => {
  it.each([
    ['**Allowed:** Tue-Thu, 10am-4pm PT (business hours)', 'Tue-Thu 10:00-16:00', 'America/Los_Angeles'],
    ['Deploys: Mon–Fri 09:00-17:00 UTC', 'Mon-Fri 09:00-17:00', 'UTC'],
    ['Window: weekdays 10-4pm ET', 'weekdays 10:00-16:00', 'America/New_York'],
    ['Mon, Wed, Fri 9:30am to noon Europe/Paris', 'Mon,Wed,Fri 09:30-12:00', 'Europe/Paris'],
    ['Tue-Thu 10:00-16:00', 'Tue-Thu 10:00-16:00', null],
    ['Monday through Thursday, 9am to 3pm Eastern', 'Mon-Thu 09:00-15:00', 'America/New_York'],
    ['Mon thru Fri 9am-5pm PT', 'Mon-Fri 09:00-17:00', 'America/Los_Angeles'],
    ['Tue, Wed and Thu 10am-4pm PT', 'Tue,Wed,Thu 10:00-16:00', 'America/Los_Angeles'],
    ['Tue, Wed, and Thu 10am-4pm PT', 'Tue,Wed,Thu 10:00-16:00', 'America/Los_Angeles'],
    ['weekdays 9-5 ET', 'weekdays 09:00-17:00', 'America/New_York'],
    ['Mon-Fri, 9 a.m.–5 p.m. ET', 'Mon-Fri 09:00-17:00', 'America/New_York'],
    ['Deploy window: Mon-Thu 10-16', 'Mon-Thu 10:00-16:00', null],
  ])('%s → %s (%s)', (text, allow, timezone) => {
    expect(findWindow(text)).toEqual({ allow, timezone });
  });

  it.each([
    ['**Restricted:** Fri-Mon, holidays, during incidents'],
    ['**Minor releases:** Weekly (Tuesdays, 10am PT)'],
    ['Tue-Thu only'],
    ['Rollback window: 0-30min'],
    ['Upgrade to 1.10 on Tue'],
    // Bare hours are a window's only in a window's words or with a zone.
    ['Mon 1-2 sync'],
  ])('%s → no window', (text) => {
    expect(findWindow(text)).toBeNull();
  });
});

it('reads every window a line gives', () => {
  expect(findWindows('Tue-Thu 10am-4pm PT and Mon 1pm-3pm PT')).toEqual([
    { allow: 'Tue-Thu 10:00-16:00', timezone: 'America/Los_Angeles' },
    { allow: 'Mon 13:00-15:00', timezone: 'America/Los_Angeles' },
  ]);
});

describe('approval counts', () => {
  it.each([
    ['Code review approved by 2+ engineers', 2],
    ['Code review completed (minimum 2 approvals)', 2],
    ['**Approval**: Minimum 1 approving review from CODEOWNERS', 1],
    ['# 1. Code review (2 approvers for production)', 2],
    ['Needs 2+ approvals before deploy', 2],
    ['at least two reviewers', 2],
    ['PRs to main requires 2 code owner approvals', 2],
    ['Requires approval from two senior engineers', 2],
    ['Two (2) approvals required', 2],
    ['approvals: 2', 2],
    ['Required approvals: 2', 2],
  ])('%s → %d', (text, expected) => {
    expect(findApprovals(text)).toBe(expected);
  });

  it.each([
    ['Code review approved by required owners'],
    ['Approval from eng lead + product owner'],
    ['Version 1.2 approvals pending'],
    ['**Duration**: 1-3 business days'],
    ['Version 1.2 approvals: pending'],
    ['Rollback approvals are not needed in 2 cases'],
    ['Allow 2 days for reviews'],
    ['Plan 2 business days before sign-off'],
  ])('%s → nothing', (text) => {
    expect(findApprovals(text)).toBeNull();
  });
});

describe('a command line without its trailing comment', () => {
  it.each([
    ['./deploy.sh v1  # ship it', './deploy.sh v1'],
    ['curl -H "X-Tag: a # b" https://x/health # probe', 'curl -H "X-Tag: a # b" https://x/health'],
    ["psql -c 'SELECT 1 # 2'", "psql -c 'SELECT 1 # 2'"],
    ['echo "say \\"#\\" loud" # note', 'echo "say \\"#\\" loud"'],
    ['curl https://x/#anchor', 'curl https://x/#anchor'],
    ['echo $# args', 'echo $# args'],
    ['# only a comment', ''],
  ])('%s', (line, want) => {
    expect(withoutComment(line)).toBe(want);
  });
});

describe('citeText: the source lines an entry came from', () => {
  it.each([
    [[12], ' line 12: Enable 10%'],
    [[12, 12], ' line 12: Enable 10%'],
    [[12, 40], ' lines 12, 40: Enable 10%'],
  ])('%j', (lines, text) => {
    expect(citeText(lines.map((line) => ({ line, text: 'Enable 10%' })))).toBe(text);
  });
});
