import { describe, expect, it } from 'vitest';
import type { SectionBlock } from '@slack/types';
import { LIMITS, validateBlocks, validateMessage } from '../../../src/slack/blockkit.ts';
import {
  HANDOFF_USAGE,
  INCIDENT_USAGE,
  RELEASE_USAGE,
  SEVERITY_MATRIX,
  helpMessage,
  helpText,
} from '../../../src/slack/views/help.ts';
import { homeView } from '../../../src/slack/views/home.ts';
import type { Release } from '../../../src/release/types.ts';
import { MIN, NOW, at, newRelease, running } from './fixture.ts';
import { incident } from '../incidents/fixture.ts';

describe('/release help', () => {
  it('has a one-line usage for error replies', () => {
    expect(RELEASE_USAGE).not.toContain('\n');
    expect(RELEASE_USAGE).toContain(
      '/release start [service] <version> [to <env>] [--dry-run] [--downgrade] [--hotfix "reason"] [notes…]',
    );
    expect(INCIDENT_USAGE).toContain('declare <sev1|sev2|sev3|sev4> <title…>');
    expect(HANDOFF_USAGE).toContain('/handoff preview');
  });

  it('shows every form of /release, /incident and /handoff', () => {
    const text = helpText();
    for (const form of [
      '/release start [service] <version> [to <env>] [--dry-run] [--downgrade] [--hotfix "reason"] [notes…]',
      '/release status [service]',
      '/release list',
      '/release history [service]',
      '/release rollback [service] [to <version>] [reason…]',
      '/release pause | resume | abort | promote [service]',
      '… <service> in <env>',
      '/release freeze [service|all] [reason…]',
      '/release unfreeze [service|all]',
      '/release audit <release>',
      '/release help',
      '/incident declare <sev1|sev2|sev3|sev4> <title…>',
      '/incident update <text…>',
      '/incident resolve [summary…]',
      '/incident list',
      '/handoff',
      '/handoff preview',
    ]) {
      expect(text).toContain(`\`${form}\``);
    }
  });

  it('has the severity matrix: meaning, examples, response time, paging, update cadence', () => {
    expect(SEVERITY_MATRIX.map((s) => `${s.severity}:${s.name}:${s.pages}`)).toEqual([
      'sev1:Critical:true',
      'sev2:High:true',
      'sev3:Medium:false',
      'sev4:Low:false',
    ]);
    const text = helpText();
    expect(text).toContain(
      '*sev1* (Critical) — site down, data loss or a security breach; 100% of users affected. _e.g._ auth failure for all users, data corruption, error rate > 5% for 5m. Respond within 15 minutes (mitigate within 5); pages on-call; updates every 15 minutes (Runway reminds the channel). Immediate full rollback + incident response.',
    );
    expect(text).toMatch(
      /\*sev2\* \(High\).*Respond within 30 minutes; pages on-call; updates every 30 minutes/,
    );
    expect(text).toMatch(/\*sev3\* \(Medium\).*Respond within 2 hours; no page/);
    expect(text).toMatch(/\*sev4\* \(Low\).*Respond within next business day; no page/);
  });

  it('fits one message, as text and as blocks', () => {
    expect(helpText().length).toBeLessThanOrEqual(LIMITS.messageText);
    const message = helpMessage();
    expect(validateMessage(message)).toEqual([]);
    expect(message.blocks.map((b) => b.block_id)).toEqual([
      'help-header',
      'help-release',
      'help-incident',
      'help-severity',
      'help-context',
    ]);
  });
});

describe('App Home', () => {
  const CARD = { channel: 'C0RELEASES', ts: '1700000000.000100' };
  const done = (i: number): Release =>
    newRelease(undefined, {
      id: `r${i}`,
      version: `v1.0.${i}`,
      state: 'completed',
      endedAt: at(-i * MIN),
      card: CARD,
    });

  it('shows active releases with state, stage and a button to the card; open incidents; five recent ones; freezes', () => {
    const r = running(1, 'hold');
    r.card = CARD;
    r.traffic = 10;
    r.stages[1] = { ...r.stages[1]!, holdEndsAt: at(12 * MIN) };
    const view = homeView({
      active: [r],
      recent: Array.from({ length: 8 }, (_, i) => done(i + 1)),
      freezes: { search: { by: 'UBOB', reason: 'reindexing', at: at(0) } },
      incidents: [
        incident({ card: { channel: 'CINC1', ts: '1700000100.000200' } }),
        incident({ id: 'old', status: 'resolved', title: 'Gone' }),
      ],
      now: NOW,
      linkBase: 'http://localhost:3000',
    });
    expect(view.type).toBe('home');
    const block = (id: string) => view.blocks.find((b) => b.block_id === id) as SectionBlock | undefined;
    const text = (id: string) =>
      (view.blocks.find((b) => b.block_id === id) as SectionBlock | undefined)?.text?.text ?? '';
    expect(text('home-active-1')).toBe(
      '*checkout v1.2.3 → production* · ▶️ Running\nstage 2/7 (traffic 10%, hold 30m), 12m left · traffic 10% · running for 10m',
    );
    // Links open in this workspace (the sandbox's page here).
    expect(block('home-active-1')?.accessory).toMatchObject({
      type: 'button',
      text: { text: 'Open card' },
      url: 'http://localhost:3000/archives/C0RELEASES/p1700000000000100',
    });
    expect(view.blocks.find((b) => b.block_id === 'home-incidents-header')).toMatchObject({
      text: { text: 'Open incidents (1)' },
    });
    expect(text('home-incident-1')).toContain('*sev2 (');
    expect(text('home-incident-1')).toContain('<#CINC1> Checkout errors after v1.2.3');
    expect(text('home-incident-1')).toContain('commander <@UALICE>');
    expect(block('home-incident-1')?.accessory).toMatchObject({
      text: { text: 'Open incident' },
      url: 'http://localhost:3000/archives/CINC1/p1700000100000200',
    });
    expect(JSON.stringify(view.blocks)).not.toContain('Gone');
    // What to type to act, for whoever opens Home first.
    expect(JSON.stringify(view.blocks)).toContain('/release start <service> <version>');
    const recent = text('home-recent').split('\n');
    expect(recent).toHaveLength(5);
    expect(recent[0]).toContain('v1.0.1');
    expect(text('home-freezes')).toContain('*search* frozen by <@UBOB>');
    expect(validateBlocks(view.blocks, { surface: 'home' })).toEqual([]);
  });

  it('says when there is nothing to show', () => {
    const view = homeView({ active: [], recent: [], freezes: {}, now: NOW });
    const texts = view.blocks.map((b) => (b as SectionBlock).text?.text);
    expect(texts).toContain('_No active releases._');
    expect(texts).toContain('_No open incidents._');
    expect(texts).toContain('_Nothing finished yet._');
    expect(texts).toContain('_No freezes._');
  });

  it('stays within 100 blocks with 150 active releases, 50 incidents and 40 freezes', () => {
    const active = Array.from({ length: 150 }, (_, i) => ({
      ...running(1, 'hold'),
      id: `r${i}`,
      service: `service-${i}`,
      card: CARD,
    }));
    const freezes = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [
        `service-${i}`,
        { by: 'UBOB', reason: 'r'.repeat(300), at: at(0) },
      ]),
    );
    const incidents = Array.from({ length: 50 }, (_, i) => incident({ id: `i${i}` }));
    const view = homeView({ active, recent: [], freezes, incidents, now: NOW });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(validateBlocks(view.blocks, { surface: 'home' })).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain('…and 110 more');
  });
});
