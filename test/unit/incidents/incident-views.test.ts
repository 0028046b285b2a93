import { describe, expect, it } from 'vitest';
import type { ActionsBlock, KnownBlock } from '@slack/types';
import { validateBlocks, validateMessage } from '../../../src/slack/blockkit.ts';
import { INCIDENT_ACTION_IDS, incidentCard } from '../../../src/slack/views/incident-card.ts';
import { updateModal } from '../../../src/slack/views/incident-modal.ts';
import { pagingText } from '../../../src/slack/views/incident-format.ts';
import {
  announcementText,
  incidentListText,
  pageFailedText,
  reminderText,
  resolvedText,
  updateText,
} from '../../../src/slack/views/incident-text.ts';
import type { Incident, PagingState } from '../../../src/incidents/types.ts';
import { incident, minutes } from './fixture.ts';

const NOW = new Date(minutes(30));
const buttonIds = (blocks: KnownBlock[]) =>
  blocks
    .filter((b): b is ActionsBlock => b.type === 'actions')
    .flatMap((b) => b.elements.map((e) => ('action_id' in e ? e.action_id : '')));
const textOf = (blocks: KnownBlock[]) => JSON.stringify(blocks);

describe('the incident card', () => {
  it.each<[Incident['status'], string[]]>([
    ['declared', [INCIDENT_ACTION_IDS.acknowledge, INCIDENT_ACTION_IDS.update, INCIDENT_ACTION_IDS.resolve]],
    ['acknowledged', [INCIDENT_ACTION_IDS.update, INCIDENT_ACTION_IDS.resolve]],
    ['resolved', []],
  ])('shows the buttons a %s incident allows', (status, ids) => {
    const card = incidentCard(
      incident({ status, ...(status === 'resolved' ? { resolvedAt: minutes(20) } : {}) }),
      { now: NOW },
    );
    expect(buttonIds(card.blocks)).toEqual(ids);
    expect(validateMessage(card)).toEqual([]);
    // Resolve asks once, in its dialog: none of the buttons carries a confirm.
    expect(JSON.stringify(card.blocks)).not.toContain('"confirm"');
  });

  it('shows severity, commander, status, start, the linked release and paging', () => {
    const card = incidentCard(
      incident({
        release: {
          id: 'checkout-production-1',
          service: 'checkout',
          environment: 'production',
          version: 'v1.2.3',
          previousVersion: 'v1.2.2',
          card: { channel: 'CREL', ts: '1700000000.000100' },
        },
        paging: { status: 'paged', via: 'pagerduty', attempts: 1, at: minutes(1) },
      }),
      { now: NOW },
    );
    const text = textOf(card.blocks);
    expect(text).toContain('sev2 (High)');
    expect(text).toContain('<@UALICE>');
    expect(text).toContain('🚨 Declared');
    expect(text).toContain('2026-11-24 18:00 UTC');
    expect(text).toContain(
      '<https://slack.com/archives/CREL/p1700000000000100|checkout v1.2.3 → production>',
    );
    expect(text).toContain('📟 paged through PagerDuty at 2026-11-24 18:01 UTC');
    expect(card.text).toBe('SEV2 incident: Checkout errors after v1.2.3 (declared)');
  });

  it('asks someone to take command of an automatic incident', () => {
    const card = incidentCard(
      incident({ commander: null, declaredBy: 'runway', reason: 'gate error_rate <breach>' }),
      { now: NOW },
    );
    expect(textOf(card.blocks)).toContain('nobody yet: Acknowledge to take command');
    expect(textOf(card.blocks)).toContain('gate error_rate &lt;breach&gt;');
  });

  it('stays within Block Kit limits with the longest texts', () => {
    const long = 'x'.repeat(5000);
    const card = incidentCard(
      incident({
        title: long,
        reason: long,
        summary: long,
        status: 'resolved',
        resolvedAt: minutes(5),
        updates: [{ by: 'UBOB', at: minutes(2), text: long }],
      }),
      { now: NOW },
    );
    expect(validateMessage(card)).toEqual([]);
  });

  it('renders the Post update modal within limits, carrying the incident id', () => {
    const modal = updateModal(incident({ title: 'y'.repeat(400) }));
    expect(modal.private_metadata).toBe('inc-20261124-checkout-errors-after-v1-2-3');
    expect(validateBlocks(modal.blocks, { surface: 'modal' })).toEqual([]);
  });
});

describe('incident messages', () => {
  it.each<[PagingState, RegExp]>([
    [{ status: 'not_needed', attempts: 0 }, /sev3 and sev4 do not page/],
    [{ status: 'not_configured', attempts: 0 }, /no `page` action/],
    [{ status: 'pending', via: 'webhook', attempts: 0 }, /paging through the webhook page action/],
    [{ status: 'retrying', via: 'pagerduty', attempts: 2 }, /failed 2×, retrying/],
    [{ status: 'failed', via: 'pagerduty', attempts: 6 }, /page the on-call by hand/],
  ])('says paging %j', (paging, pattern) => {
    expect(pagingText(paging)).toMatch(pattern);
  });

  it('announces severity, title and the channel, defusing what the title could ping', () => {
    const text = announcementText(incident({ title: 'All down <!channel>' }));
    expect(text).toContain('*SEV2 incident declared:* All down &lt;!channel&gt;');
    expect(text).toContain('Join <#CINC1>');
  });

  it('writes updates, reminders, paging failures, resolutions and the list', () => {
    expect(updateText({ by: 'UBOB', at: minutes(1), text: 'rolled <back>' })).toBe(
      '📣 *Update* from <@UBOB>:\nrolled &lt;back&gt;',
    );
    expect(reminderText(incident({ severity: 'sev1' }), 15 * 60_000)).toMatch(
      /No update on this sev1 for 15m\. <@UALICE>, post one/,
    );
    expect(pageFailedText('HTTP 500', { attempt: 1, of: 6 })).toMatch(/attempt 1 of 6.*declared either way/);
    expect(pageFailedText('HTTP 400', null)).toMatch(/Page them by hand/);
    const done = incident({
      status: 'resolved',
      resolvedAt: minutes(42),
      resolvedBy: 'UBOB',
      summary: 'fixed',
    });
    expect(resolvedText(done, NOW, 'announcement')).toBe(
      '✅ *Resolved* by <@UBOB> after 42m: fixed. The postmortem draft is in <#CINC1>.',
    );
    expect(incidentListText([], NOW)).toBe('No open incidents.');
    const many = Array.from({ length: 200 }, (_, n) => incident({ id: `inc-${n}`, title: 't'.repeat(150) }));
    const list = incidentListText(many, NOW);
    expect(list.length).toBeLessThanOrEqual(3000);
    expect(list).toMatch(/…and \d+ more$/);
  });
});
