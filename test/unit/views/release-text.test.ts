import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/store/audit-entry.ts';
import type { Release } from '../../../src/release/types.ts';
import { LIMITS } from '../../../src/slack/blockkit.ts';
import { permalink } from '../../../src/slack/views/format.ts';
import {
  auditText,
  compactDetails,
  freezesText,
  historyText,
  listText,
  statusText,
} from '../../../src/slack/views/release-text.ts';
import { MIN, NOW, at, newRelease, running } from './fixture.ts';

const CARD = { channel: 'C0RELEASES', ts: '1700000000.123456' };

function finished(i: number, over: Partial<Release> = {}): Release {
  return newRelease(undefined, {
    id: `checkout-production-${i}`,
    version: `v1.0.${i}`,
    state: 'completed',
    outcome: `checkout v1.0.${i} is live in production.`,
    createdAt: at(-(i + 1) * 60 * MIN),
    endedAt: at(-(i + 1) * 60 * MIN + 2 * 60 * MIN + 5 * MIN),
    ...over,
  });
}

describe('permalink', () => {
  it('is the archives URL with the dot taken out of the ts', () => {
    expect(permalink(CARD)).toBe('https://slack.com/archives/C0RELEASES/p1700000000123456');
    expect(permalink(CARD, 'http://localhost:3000/')).toBe(
      'http://localhost:3000/archives/C0RELEASES/p1700000000123456',
    );
  });
});

describe('/release status', () => {
  it('says where each active release stands, with a link to its card', () => {
    const r = running(1, 'hold');
    r.traffic = 10;
    r.card = CARD;
    r.stages[1] = { ...r.stages[1]!, holdEndsAt: at(12 * MIN) };
    expect(statusText([r], { now: NOW })).toBe(
      '*Active releases*\n• *checkout* v1.2.3 → production: ▶️ Running · stage 2/7 (traffic 10%, hold 30m), 12m left · traffic 10% · <https://slack.com/archives/C0RELEASES/p1700000000123456|card>',
    );
  });

  it('shows pre-flight and approvals before the deploy, and why a release is paused', () => {
    const pre = newRelease();
    expect(statusText([pre], { now: NOW })).toContain(
      '📋 In pre-flight · pre-flight 0/2 · approvals 0/2 · traffic 0%',
    );
    const paused = running(2, 'hold');
    paused.state = 'paused';
    paused.pause = {
      by: 'runway',
      at: at(0),
      reason: 'gate error_rate: 0.052 > max 0.005 for 5m (allowed 5m)',
    };
    expect(statusText([paused], { now: NOW })).toContain(
      'paused by Runway: gate error_rate: 0.052 &gt; max 0.005 for 5m',
    );
  });

  it('filters by service and says when nothing is active', () => {
    const r = running(1, 'hold');
    expect(statusText([r], { now: NOW, service: 'search' })).toBe('No active release of *search*.');
    expect(statusText([], { now: NOW })).toBe('No active releases.');
    expect(statusText([finished(1)], { now: NOW })).toBe('No active releases.');
  });

  it('stays within 3000 characters with many releases', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({
      ...running(1, 'hold'),
      service: `service-${i}`,
      card: CARD,
    }));
    const text = statusText(many, { now: NOW });
    expect(text.length).toBeLessThanOrEqual(LIMITS.messageText);
    expect(text).toMatch(/…and \d+ more releases$/);
  });
});

describe('/release list', () => {
  it('lists active releases one line each', () => {
    const r = running(1, 'hold');
    r.card = CARD;
    expect(listText([r, finished(1)], { now: NOW })).toBe(
      '*Active releases*\n• *checkout* v1.2.3 → production: ▶️ Running (stage 2/7), traffic 0%, by <@UALICE> · <https://slack.com/archives/C0RELEASES/p1700000000123456|card>',
    );
  });
});

describe('/release history', () => {
  it('shows the last 20 finished releases, newest first, with outcome, when and how long', () => {
    const releases = Array.from({ length: 25 }, (_, i) => finished(i + 1));
    const text = historyText(releases, { now: NOW });
    const lines = text.split('\n');
    expect(lines[0]).toBe('*Last 20 finished releases*');
    expect(lines).toHaveLength(21);
    expect(lines[1]).toBe(
      '• *checkout* v1.0.1 → production — ✅ Completed: checkout v1.0.1 is live in production. · 2026-11-24 18:05 UTC · took 2h5m',
    );
    expect(lines[20]).toContain('v1.0.20');
    expect(text.length).toBeLessThanOrEqual(LIMITS.messageText);
  });

  it('shows rollbacks and filters by service', () => {
    const rolled = finished(1, {
      state: 'rolled_back',
      outcome: 'Rolled back to v1.2.2: gate error_rate: 0.052 > max 0.005',
    });
    // The outcome already says "Rolled back": it is not said twice.
    expect(historyText([rolled], { now: NOW })).toContain('— ↩️ Rolled back to v1.2.2: gate error_rate');
    expect(historyText([rolled], { now: NOW })).not.toContain('Rolled back: Rolled back');
    const aborted = finished(2, { state: 'aborted', outcome: 'Stopped by <@UBOB>: wrong build' });
    expect(historyText([aborted], { now: NOW })).toContain('— 🛑 Aborted: Stopped by <@UBOB>: wrong build');
    expect(historyText([rolled], { now: NOW, service: 'search' })).toBe(
      'No finished releases of *search* yet.',
    );
  });

  it('does not call a dry run completed', () => {
    const dry = finished(1, { dryRun: true });
    const text = historyText([dry], { now: NOW });
    expect(text).toContain('— Dry run (nothing was deployed)');
    expect(text).not.toContain('Completed');
  });
});

describe('/release audit', () => {
  const entry = (i: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
    id: `${1_700_000_000_000 + i}-0`,
    at: at(i * 1000),
    actor: 'UBOB',
    action: 'release.approved',
    releaseId: 'checkout-production-1',
    details: { count: 1, required: 2 },
    ...over,
  });

  it('lists entries oldest first with time, actor, action and details', () => {
    const text = auditText('checkout-production-1', [
      entry(0, { actor: 'UALICE', action: 'release.started', details: { version: 'v1.2.3', dryRun: false } }),
      entry(5),
      entry(9, {
        actor: 'runway',
        action: 'action.finished',
        details: { stage: 0, action: 'deploy', exitCode: 0 },
      }),
    ]);
    expect(text.split('\n')).toEqual([
      '*Audit trail of `checkout-production-1`* (times UTC, newest last)',
      '`2026-11-24 18:00:00` <@UALICE> *release.started* version=v1.2.3 dryRun=false',
      '`2026-11-24 18:00:05` <@UBOB> *release.approved* count=1 required=2',
      '`2026-11-24 18:00:09` Runway *action.finished* stage=0 action=deploy exitCode=0',
    ]);
  });

  /** A long release: started, pre-flight, two approvals, then many stage entries. */
  const longTrail = (): AuditEntry[] => [
    entry(0, { actor: 'UALICE', action: 'release.started', details: { version: 'v1.2.3' } }),
    entry(1, { actor: 'runway', action: 'preflight.passed', details: { item: 'ci' } }),
    entry(2, { actor: 'UBOB', details: { count: 1, required: 2 } }),
    entry(3, { actor: 'UCAROL', details: { count: 2, required: 2 } }),
    ...Array.from({ length: 200 }, (_, i) =>
      entry(4 + i, { actor: 'runway', action: 'gate.sampled', details: { note: 'n'.repeat(300) } }),
    ),
  ];

  it.each([
    {
      name: 'keeps who started it and the approvals, then the newest entries',
      entries: longTrail(),
      head: [
        'release.started',
        'preflight.passed',
        '<@UBOB> *release.approved*',
        '<@UCAROL> *release.approved*',
      ],
      newest: '2026-11-24 18:03:23',
    },
    {
      name: 'without approvals, keeps the first three entries',
      entries: longTrail().filter((e) => e.action !== 'release.approved'),
      head: ['release.started', 'preflight.passed', '*gate.sampled*'],
      newest: '2026-11-24 18:03:23',
    },
  ])('$name, with the count in between', ({ entries, head, newest }) => {
    const text = auditText('checkout-production-1', entries);
    expect(text.length).toBeLessThanOrEqual(LIMITS.messageText);
    const lines = text.split('\n');
    head.forEach((want, i) => expect(lines[1 + i]).toContain(want));
    const gap = lines[1 + head.length]!;
    const left = Number(/^…(\d+) entries in between \(npx runway audit export\)$/.exec(gap)?.[1]);
    expect(left).toBeGreaterThan(0);
    expect(lines.length - 2 + left).toBe(entries.length); // title and gap line aside
    expect(lines.at(-1)).toContain(newest); // the newest entry is kept
  });

  it('keeps a short trail whole', () => {
    const entries = longTrail().slice(0, 6);
    expect(auditText('x', entries).split('\n')).toHaveLength(7);
  });

  it('keeps details short and inert', () => {
    expect(compactDetails({ reason: '<!channel> now', output: 'x'.repeat(500) })).toMatch(
      /^reason=&lt;!channel&gt; now output=x+…$/,
    );
    expect(auditText('x', [])).toBe('No audit entries for release `x`.');
  });
});

describe('freezes', () => {
  it('lists the freezes, all services first', () => {
    const text = freezesText({
      search: { by: 'UBOB', reason: 'reindexing', at: at(0) },
      all: { by: 'UCAROL', reason: 'Black Friday', at: at(-60 * MIN) },
    });
    expect(text.split('\n')).toEqual([
      '*Freezes* (hotfixes may still start)',
      '• 🧊 *all services* frozen by <@UCAROL> since 2026-11-24 17:00 UTC: Black Friday',
      '• 🧊 *search* frozen by <@UBOB> since 2026-11-24 18:00 UTC: reindexing',
    ]);
    expect(freezesText({})).toBe('No freezes: releases may start (within their windows).');
  });
});
