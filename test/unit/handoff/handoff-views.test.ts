import { describe, expect, it } from 'vitest';
import type { KnownBlock } from '@slack/types';
import { validateMessage } from '../../../src/slack/blockkit.ts';
import {
  contactText,
  knownIssues,
  releaseHandoffMessage,
  rollbackPlan,
  statusLines,
} from '../../../src/slack/views/handoff-release.ts';
import {
  localTime,
  shiftHandoffMessage,
  type ShiftHandoffInput,
} from '../../../src/slack/views/handoff-shift.ts';
import { DEFAULT_CHECKLIST, handoffChecklist } from '../../../src/handoff/checklist.ts';
import type { Release } from '../../../src/release/types.ts';
import { at, MIN, NOW, newRelease, reading } from '../views/fixture.ts';
import { incident } from '../incidents/fixture.ts';

const blockText = (blocks: KnownBlock[]) => JSON.stringify(blocks);
const block = (blocks: KnownBlock[], id: string): string => {
  const found = blocks.find((b) => b.block_id === id);
  return found ? JSON.stringify(found) : '';
};

function completed(over: Partial<Release> = {}): Release {
  const r = newRelease();
  return {
    ...r,
    state: 'completed',
    endedAt: at(-1 * MIN),
    notes: 'Adds Apple Pay; fixes the coupon rounding',
    card: { channel: 'CRELEASES', ts: '1700000000.000100' },
    stages: r.stages.map((s, i) => ({
      ...s,
      status: 'done' as const,
      attempt: 1,
      ...(i === 5 ? { detail: 'GET https://api.example.com/health → 200 in 0.2s' } : {}),
    })),
    gates: { error_rate: reading({ value: 0.002 }) },
    ...over,
  };
}

describe('the release handoff (SPEC section 7)', () => {
  it('has every field: release, deployed at and by, summary, status, known issues, monitoring, rollback plan, contact', () => {
    const message = releaseHandoffMessage({
      release: completed(),
      links: { dashboard: 'https://grafana.example.com/d/production', logs: 'https://logs.example.com' },
      onCallContact: 'UONCALL',
      now: NOW,
    });
    expect(validateMessage(message)).toEqual([]);
    const b = message.blocks;
    expect(block(b, 'handoff-header')).toContain('Release handoff: checkout v1.2.3 → production');
    expect(block(b, 'handoff-fields')).toContain(
      '<https://slack.com/archives/CRELEASES/p1700000000000100|release card>',
    );
    expect(block(b, 'handoff-fields')).toContain('*Deployed at*\\n2026-11-24 17:59 UTC');
    expect(block(b, 'handoff-fields')).toContain('*Deployed by*\\n<@UALICE>');
    expect(block(b, 'handoff-fields')).toContain('*On-call contact*\\n<@UONCALL>');
    expect(block(b, 'handoff-summary')).toContain('Adds Apple Pay; fixes the coupon rounding');
    expect(block(b, 'handoff-status')).toContain('✅ Stable');
    expect(block(b, 'handoff-status')).toContain('*error_rate* 0.002 (within max 0.005) ✅');
    expect(block(b, 'handoff-status')).toContain(
      'Smoke tests passed ✅ (GET https://api.example.com/health → 200 in 0.2s)',
    );
    expect(block(b, 'handoff-known-issues')).toContain('None recorded');
    expect(block(b, 'handoff-monitoring')).toContain('dashboard: <https://grafana.example.com/d/production|');
    expect(block(b, 'handoff-rollback')).toContain('Previous version: *v1.2.2*');
    expect(block(b, 'handoff-rollback')).toContain('Rollback action: `./ops/rollback.sh v1.2.2`');
    expect(block(b, 'handoff-rollback')).toContain('/release rollback checkout');
    expect(message.text).toContain('Rollback: Rollback action: `./ops/rollback.sh v1.2.2`');
  });

  it('says to watch closely when a gate ended in breach or smoke did not pass, and lists known issues', () => {
    const r = completed({
      hotfix: { reason: 'payments outage' },
      gates: { error_rate: reading({ value: 0.02, verdict: 'breach' }) },
    });
    r.stages[2] = { ...r.stages[2]!, attempt: 3 };
    r.stages[5] = { ...r.stages[5]!, status: 'failed', detail: 'HTTP 503' };
    expect(statusLines(r, NOW).stable).toBe(false);
    expect(knownIssues(r)).toEqual([
      'Released as a hotfix (outside the usual checks): payments outage',
      'Stage 3 needed 3 attempts',
      'Gate error_rate ended in breach',
    ]);
    expect(
      blockText(releaseHandoffMessage({ release: r, links: {}, onCallContact: null, now: NOW }).blocks),
    ).toContain('⚠️ Watch closely');
  });

  it('writes a rollback plan without a rollback action or previous version', () => {
    const r = completed({ previousVersion: null, plan: { ...completed().plan, actions: ['deploy'] } });
    expect(rollbackPlan(r)).toEqual([
      'Previous version: _none recorded_',
      'Rollback action: _the runbook defines none_',
      'In Slack: `/release rollback checkout`',
    ]);
  });

  it.each([
    [null, '_not set (`on_call_contact` in the runbook)_'],
    ['UONCALL', '<@UONCALL>'],
    ['S0SRE', '<!subteam^S0SRE>'],
    ['PagerDuty rotation <sre>', 'PagerDuty rotation &lt;sre&gt;'],
  ])('names the on-call contact %j', (contact, text) => {
    expect(contactText(contact)).toBe(text);
  });

  it('stays within limits with enormous notes and many links', () => {
    const links = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`link${i}`, `https://example.com/${'p'.repeat(50)}/${i}`]),
    );
    const message = releaseHandoffMessage({
      release: completed({ notes: 'n'.repeat(5000) }),
      links,
      onCallContact: 'x'.repeat(3000),
      now: NOW,
    });
    expect(validateMessage(message)).toEqual([]);
  });
});

describe('the shift handoff', () => {
  const base: ShiftHandoffInput = {
    now: NOW,
    timezone: 'Europe/Paris',
    since: at(-24 * 60 * MIN),
    finished: [],
    active: [],
    incidents: [],
    freezes: {},
    checklist: DEFAULT_CHECKLIST,
    links: {},
    by: null,
  };

  it('lists releases since the last handoff, open incidents, freezes, paused releases and the checklist', () => {
    const paused: Release = {
      ...newRelease(),
      id: 'search-1',
      service: 'search',
      state: 'paused',
      pause: { by: 'UBOB', at: at(-5 * MIN), reason: 'waiting for the DBA' },
    };
    const message = shiftHandoffMessage({
      ...base,
      finished: [
        completed(),
        {
          ...completed(),
          id: 'r2',
          version: 'v1.2.4',
          state: 'rolled_back',
          outcome: 'Rolled back: gate error_rate',
          endedAt: at(-2 * MIN),
        },
      ],
      active: [paused, { ...newRelease(), id: 'r3', service: 'cart', state: 'running' }],
      incidents: [incident()],
      freezes: { all: { by: 'UCAROL', reason: 'Black Friday', at: at(-60 * MIN) } },
      links: { dashboard: 'https://grafana.example.com' },
      by: 'UBOB',
    });
    expect(validateMessage(message)).toEqual([]);
    const b = message.blocks;
    expect(block(b, 'shift-header')).toContain('Shift handoff — 2026-11-24 19:00 Europe/Paris');
    expect(block(b, 'shift-releases')).toContain(
      // Every time in the handoff is in its time zone, as its heading is.
      'Releases since the last handoff (2026-11-23 19:00)* (2)',
    );
    expect(block(b, 'shift-releases')).toMatch(
      /checkout v1\.2\.4.*Rolled back: gate error_rate[\s\S]*checkout v1\.2\.3/,
    );
    expect(block(b, 'shift-in-flight')).toContain('cart v1.2.3');
    expect(block(b, 'shift-incidents')).toContain('*sev2* <#CINC1> Checkout errors after v1.2.3');
    expect(block(b, 'shift-freezes')).toContain('*all services* frozen by <@UCAROL>');
    expect(block(b, 'shift-paused')).toContain('by <@UBOB> since 2026-11-24 18:55: waiting for the DBA');
    expect(block(b, 'shift-context')).toContain('Times in Europe/Paris');
    expect(block(b, 'shift-releases')).not.toContain('UTC');
    expect(block(b, 'shift-checklist')).toContain('☐ Check current alerts and open incidents');
    expect(block(b, 'shift-links')).toContain('dashboard');
    expect(block(b, 'shift-context')).toContain('Posted by <@UBOB> with `/handoff`');
    expect(message.text).toMatch(/2 release\(s\).*1 open incident.*1 paused release.*1 freeze/);
  });

  it('says so when there is nothing to hand over, and counts from 24 hours back the first time', () => {
    const message = shiftHandoffMessage({ ...base, since: null });
    expect(block(message.blocks, 'shift-releases')).toContain('in the last 24 hours');
    expect(block(message.blocks, 'shift-incidents')).toContain('_None._');
    expect(block(message.blocks, 'shift-context')).toContain('Posted on the handoff schedule');
  });

  it('says a preview is only a preview, not who posted it', () => {
    const message = shiftHandoffMessage({ ...base, by: 'UBOB', preview: true });
    expect(block(message.blocks, 'shift-context')).toContain(
      'Preview: only you see this; `/handoff` posts it to the on-call channel.',
    );
    expect(block(message.blocks, 'shift-context')).not.toContain('Posted by');
  });

  it('stays within limits with hundreds of releases and incidents', () => {
    const finished = Array.from({ length: 300 }, (_, i) => ({
      ...completed(),
      id: `r${i}`,
      notes: 'x'.repeat(900),
    }));
    const incidents = Array.from({ length: 300 }, (_, i) =>
      incident({ id: `inc-${i}`, title: 't'.repeat(150) }),
    );
    const message = shiftHandoffMessage({
      ...base,
      finished,
      incidents,
      checklist: Array.from({ length: 100 }, () => 'c'.repeat(300)),
    });
    expect(validateMessage(message)).toEqual([]);
    expect(block(message.blocks, 'shift-releases')).toMatch(/…and \d+ more releases/);
  });

  it('takes the runbook checklist, or the reference one', () => {
    expect(handoffChecklist(['Read the pager log'])).toEqual(['Read the pager log']);
    expect(handoffChecklist([])).toBe(DEFAULT_CHECKLIST);
    expect(handoffChecklist(undefined)).toBe(DEFAULT_CHECKLIST);
  });

  it.each([
    ['Europe/Paris', '2026-11-24 19:00 Europe/Paris'],
    ['America/Los_Angeles', '2026-11-24 10:00 America/Los_Angeles'],
    ['Not/AZone', '2026-11-24 18:00 UTC'],
  ])('shows the time in %s', (zone, text) => {
    expect(localTime(NOW, zone)).toBe(text);
  });
});
