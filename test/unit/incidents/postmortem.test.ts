import { describe, expect, it } from 'vitest';
import {
  postmortemMarkdown,
  postmortemMrkdwn,
  postmortemSummary,
} from '../../../src/incidents/postmortem.ts';
import { buildTimeline, describeEntry, plainStyle, slackStyle } from '../../../src/incidents/timeline.ts';
import { newRelease } from '../views/fixture.ts';
import { entry, incident, minutes, STARTED } from './fixture.ts';

const resolved = incident({
  status: 'resolved',
  resolvedAt: minutes(42),
  resolvedBy: 'UBOB',
  summary: 'Rolled back to v1.2.2; a bad index on orders',
  reason: 'gate error_rate: 0.05 > max 0.005 for 5m (allowed 5m)',
  release: {
    id: 'checkout-production-1',
    service: 'checkout',
    environment: 'production',
    version: 'v1.2.3',
    previousVersion: 'v1.2.2',
  },
});

const releaseTrail = [
  entry(minutes(-20), 'release.started', {
    actor: 'UALICE',
    service: 'checkout',
    environment: 'production',
    details: { version: 'v1.2.3' },
  }),
  entry(minutes(-15), 'release.approved', { actor: 'UBOB', details: { count: 1, required: 2 } }),
  entry(minutes(-10), 'stage.started', { details: { stage: 1, label: 'traffic 10%' } }),
  entry(minutes(-6), 'gate.breach', { details: { gate: 'error_rate', value: 0.05, max: 0.005 } }),
  entry(minutes(-1), 'rollback.automatic', {
    details: { reason: 'gate error_rate: 0.05 > max 0.005', toVersion: 'v1.2.2' },
  }),
  entry(minutes(-1), 'refused.approved', { actor: 'UDAVE' }),
];
const incidentTrail = [
  entry(STARTED, 'incident.declared', {
    details: { severity: 'sev2', title: 'Checkout errors after v1.2.3' },
  }),
  entry(minutes(1), 'incident.paged', { details: { event: 'trigger', via: 'pagerduty' } }),
  entry(minutes(3), 'incident.acknowledged', { actor: 'UBOB', details: { commander: 'UBOB' } }),
  entry(minutes(10), 'incident.update', {
    actor: 'UBOB',
    details: { text: 'Error rate <back> to normal @here' },
  }),
  entry(minutes(42), 'incident.resolved', { actor: 'UBOB', details: { summary: 'Rolled back' } }),
];

describe('the postmortem timeline', () => {
  it('merges the release and incident trails in time order, once each, without refused clicks', () => {
    const both = [...incidentTrail, ...releaseTrail, incidentTrail[0]!];
    const timeline = buildTimeline(both);
    expect(timeline.map((t) => t.text)).toEqual([
      'Release of checkout v1.2.3 to production started by @UALICE',
      'Approved by @UBOB (1/2)',
      'Stage 2 started: traffic 10%',
      'Gate error_rate breached: 0.05 (max 0.005)',
      'Automatic rollback to v1.2.2 started: gate error_rate: 0.05 > max 0.005',
      'Incident declared (sev2) by Runway: Checkout errors after v1.2.3',
      'On-call paged (trigger via pagerduty)',
      'Acknowledged by @UBOB; commander @UBOB',
      'Update from @UBOB: Error rate <back> to normal @here',
      'Resolved by @UBOB: Rolled back',
    ]);
  });

  it('escapes typed text for Slack but keeps Runway’s own mentions', () => {
    const update = incidentTrail[3]!;
    expect(describeEntry(update, slackStyle)).toBe(
      'Update from <@UBOB>: Error rate &lt;back&gt; to normal @here',
    );
    const forged = entry(STARTED, 'incident.update', {
      actor: 'UBOB',
      details: { text: '\uE000UEVIL\uE001 <!channel>' },
    });
    expect(describeEntry(forged, slackStyle)).toBe('Update from <@UBOB>: UEVIL &lt;!channel&gt;');
  });

  it.each([
    ['stage.done', { stage: 0, label: 'deploy' }, 'Stage 1 done: deploy'],
    ['action.failed', { stage: 2, action: 'traffic', detail: 'exit 1' }, 'traffic failed in stage 3: exit 1'],
    ['rollback.done', { toVersion: 'v1.2.2' }, 'Rolled back to v1.2.2'],
    [
      'incident.page_failed',
      { event: 'trigger', attempt: 2, summary: 'HTTP 500' },
      'Paging failed (trigger, attempt 2): HTTP 500',
    ],
    // Runway's own steps in words, not raw audit lines.
    [
      'preflight.passed',
      { item: 'health', detail: '1 check passed in 0.1s' },
      'Pre-flight check health passed: 1 check passed in 0.1s',
    ],
    ['preflight.failed', { item: 'ci', detail: 'HTTP 500' }, 'Pre-flight check ci failed: HTTP 500'],
    ['stage.promoted', { stage: 1, skippedMs: 720_000 }, 'Stage 2 promoted by Runway, 12m of hold skipped'],
    ['handoff.release_posted', { channel: 'CONCALL' }, 'Release handoff posted to on-call'],
    ['something.new', { a: 1, b: 'two' }, 'something.new (a=1 b=two) by Runway'],
  ])('describes %s', (action, details, text) => {
    expect(describeEntry(entry(STARTED, action, { details }), plainStyle)).toBe(text);
  });
});

describe('the postmortem draft', () => {
  const input = {
    incident: resolved,
    entries: [...releaseTrail, ...incidentTrail],
    release: { ...newRelease(), outcome: 'Rolled back to v1.2.2' },
    now: new Date(minutes(50)),
  };

  it('has every section of the reference template, filled from the incident and its release', () => {
    const md = postmortemMarkdown(input);
    for (const heading of [
      '# Postmortem: Checkout errors after v1.2.3',
      '## Impact',
      '## Timeline (UTC)',
      '## Root cause',
      '## Resolution',
      '## Action items',
      '## Prevention',
      '## Lessons learned',
    ]) {
      expect(md).toContain(heading);
    }
    expect(md).toContain('**Date**: 2026-11-24');
    expect(md).toContain('**Severity**: sev2 (High: a major feature broken for many users)');
    expect(md).toContain('**Duration**: 42m (18:00 to 18:42 UTC)');
    expect(md).toContain('- 17:54:00 — Gate error_rate breached: 0.05 (max 0.005)');
    expect(md).toContain('Trigger: gate error_rate: 0.05 > max 0.005 for 5m');
    expect(md).toContain('Rolled back to v1.2.2; a bad index on orders');
    expect(md).toContain('Release checkout v1.2.3 in production: Rolled back to v1.2.2');
    expect(md).toContain('[ ] Fix the regression in checkout v1.2.3');
    expect(md).toContain('Review the gates (error_rate)');
  });

  it('is Slack mrkdwn for a message, with typed text escaped', () => {
    const text = postmortemMrkdwn({ ...input, incident: { ...resolved, title: 'Errors <@UEVIL>' } });
    expect(text).toContain('*📝 Postmortem draft: Errors &lt;@UEVIL&gt;*');
    expect(text).toContain('`18:03:00` Acknowledged by <@UBOB>; commander <@UBOB>');
    expect(text).not.toContain('<@UEVIL>');
  });

  it('prompts for what Runway cannot know when there is no release or summary', () => {
    const bare = {
      incident: incident({ status: 'resolved', resolvedAt: minutes(5) }),
      entries: [],
      release: null,
      now: new Date(minutes(5)),
    };
    const md = postmortemMarkdown(bare);
    expect(md).toContain('- _no audit entries_');
    expect(md).toContain('_What did we do to fix it? (no summary was given at resolve)_');
    expect(md).toContain('Users affected: _to fill in');
    expect(postmortemSummary(bare)).toMatch(/sev2, 5m .*0 timeline entries/);
  });

  it('writes the full date for entries on another day', () => {
    const late = {
      ...input,
      entries: [entry('2026-11-25T01:02:03.000Z', 'incident.resolved', { actor: 'UBOB' })],
    };
    expect(postmortemMarkdown(late)).toContain('- 2026-11-25 01:02:03 — Resolved by @UBOB');
  });
});
