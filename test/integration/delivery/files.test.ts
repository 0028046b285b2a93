// File posts in the delivery layer (the canary charts): a file queued in a thread is shared there with
// files.getUploadURLExternal / completeUploadExternal in its place among the lines queued around it,
// through Slack's 429s and 5xx on either call, once, and audited when Slack has it. Real Redis, real
// workers, the workspace fake's files endpoints.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import { messageText } from '../../helpers/workspace.ts';
import type { SlackDelivery } from '../../../src/slack/delivery/service.ts';
import { deliveryKeys } from '../../../src/slack/delivery/keys.ts';

const redis = useRedis();
const running: SlackRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

const YAML = `
version: 1
channels: { releases: "#releases", on_call: "#on-call" }
services:
  checkout:
    environments:
      production:
        actions: { deploy: { command: ["true"] }, rollback: { command: ["true"] } }
        stages: [deploy]
`;

const BYTES = Buffer.concat([Buffer.from([0x89]), Buffer.from('PNG\r\n\u001a\n'), Buffer.alloc(2048, 7)]);

async function start(): Promise<{ r: SlackRunway; delivery: SlackDelivery }> {
  const r = await startSlackRunway(redis.url, YAML);
  running.push(r);
  return { r, delivery: r.runtime.slack?.delivery as SlackDelivery };
}

describe('file posts through the delivery layer', () => {
  it('shares a file in its thread, in order with the lines around it, through a 429 and a 5xx, once', async () => {
    const { r, delivery } = await start();
    r.ws.failNext('files.getUploadURLExternal', { status: 429, retryAfter: 1 }, 1);
    r.ws.failNext('files.completeUploadExternal', { status: 500 }, 1);
    const thread = { ref: 'card-rel-1' };
    await delivery.post({
      key: 'card',
      channel: 'CRELEASES',
      text: 'the card',
      kind: 'important',
      saveAs: 'card-rel-1',
    });
    await delivery.post({
      key: 'l1',
      channel: 'CRELEASES',
      thread,
      text: 'before the chart',
      kind: 'important',
    });
    const file = { name: 'canary.png', title: 'Canary chart', bytes: 0 };
    const audit = { action: 'chart.posted', releaseId: 'rel-1', details: { why: 'breach' } };
    await delivery.upload(
      { key: 'chart', channel: 'CRELEASES', thread, text: 'the chart', kind: 'important', file, audit },
      BYTES,
    );
    // Queued again (a repeated job): nothing new.
    await delivery.upload(
      { key: 'chart', channel: 'CRELEASES', thread, text: 'the chart', kind: 'important', file, audit },
      BYTES,
    );
    await delivery.post({
      key: 'l2',
      channel: 'CRELEASES',
      thread,
      text: 'after the chart',
      kind: 'important',
    });

    const card = await waitFor('the card', async () =>
      r.ws.store.history('CRELEASES').find((m) => m.text === 'the card'),
    );
    const replies = await waitFor(
      'three replies',
      async () => {
        const rs = r.ws.store.replies('CRELEASES', card.ts).slice(1);
        return rs.length >= 3 ? rs : null;
      },
      30_000,
    );
    expect(replies.map((m) => messageText(m))).toEqual(['before the chart', 'the chart', 'after the chart']);
    const shared = replies[1]!.files?.[0];
    expect(shared?.title).toBe('Canary chart');
    expect(r.ws.store.files.get(shared!.id)?.content?.equals(BYTES)).toBe(true);

    const reserve = r.ws.calls('files.getUploadURLExternal');
    const complete = r.ws.calls('files.completeUploadExternal');
    expect(reserve.map((c) => c.ok)).toEqual([false, true, true]); // the 429, then once per try
    expect(complete.map((c) => c.ok)).toEqual([false, true]);
    expect(complete[1]?.args).toMatchObject({
      channel_id: 'CRELEASES',
      thread_ts: card.ts,
      initial_comment: 'the chart',
    });
    expect(reserve[1]?.args).toMatchObject({ filename: 'canary.png', length: String(BYTES.length) });

    const entries = await waitFor('the audit entry', async () => {
      const es = (await r.runtime.audit.forRelease('rel-1')).filter((e) => e.action === 'chart.posted');
      return es.length > 0 ? es : null;
    });
    expect(entries).toHaveLength(1);
    // The bytes are dropped once shared.
    expect(await r.runtime.redis.exists(deliveryKeys(r.runtime.prefix).file('chart'))).toBe(0);
  });

  it('sets a file post aside when Slack refuses it for good, and the lane goes on', async () => {
    const { r, delivery } = await start();
    r.ws.failNext('files.completeUploadExternal', { error: 'not_allowed_token_type' }, 1);
    const file = { name: 'canary.png', title: 'Canary chart', bytes: 0 };
    await delivery.upload(
      {
        key: 'refused',
        channel: 'CONCALL',
        text: 'refused chart',
        kind: 'important',
        file,
        foldKey: 'rel-2',
      },
      BYTES,
    );
    await delivery.post({ key: 'next', channel: 'CONCALL', text: 'next line', kind: 'important' });
    await waitFor('the next line', async () =>
      r.ws.store.history('CONCALL').find((m) => m.text === 'next line'),
    );
    expect(r.ws.store.history('CONCALL').some((m) => (m.files?.length ?? 0) > 0)).toBe(false);
    expect(r.ws.calls('files.completeUploadExternal')).toHaveLength(1);
    const failed = await r.runtime.audit.forRelease('rel-2');
    expect(failed.map((e) => e.action)).toContain('notification.failed');
  });
});
