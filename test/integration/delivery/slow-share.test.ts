// A delivery that outlasts the lane lock's TTL (a file share: upload URL, bytes, complete) keeps the
// lock: the sweep does not hand the lane to a second drainer that shares the file again and posts the
// lines behind it out of order.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { FAST, loadTestRunbook, memoryLogger, waitFor } from '../../helpers/runway.ts';
import { BOT_TOKEN } from '../../helpers/slack-runway.ts';
import { limitedWorkspace, ONE_STAGE_YAML } from '../../helpers/delivery.ts';
import { messageText } from '../../helpers/workspace.ts';
import { createRuntime } from '../../../src/runtime.ts';
import { slackClient } from '../../../src/slack/services.ts';
import type { SlackDelivery } from '../../../src/slack/delivery/service.ts';

const redis = useRedis();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const LOCK_TTL_MS = 1500;
const UPLOAD_DELAY_MS = 5000;

/** The bytes' POST to the upload URL answers only after `ms` (a slow link to Slack's file servers). */
function slowUploads(ms: number): () => void {
  const real = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/upload/')) await new Promise((r) => setTimeout(r, ms));
    return real(input, init);
  };
  return () => (globalThis.fetch = real);
}

describe('a file share slower than the lane lock', () => {
  it('is shared once, and the next line comes after it', async () => {
    const ws = await limitedWorkspace();
    cleanup.push(() => ws.close());
    const book = loadTestRunbook(ONE_STAGE_YAML);
    const runtime = createRuntime({
      redisUrl: redis.url,
      prefix: uniquePrefix(),
      runbook: () => book,
      log: memoryLogger().log,
      slack: { client: slackClient(BOT_TOKEN, ws.apiUrl), delivery: { lockTtlMs: LOCK_TTL_MS } },
    });
    cleanup.push(() => runtime.close());
    const restore = slowUploads(UPLOAD_DELAY_MS);
    cleanup.push(async () => restore());
    await runtime.startWorkers(FAST); // the sweep every second: it hands out lanes nobody holds
    const delivery = runtime.slack!.delivery as SlackDelivery;
    const thread = { ref: 'card-rel-1' };
    await delivery.post({
      key: 'card',
      channel: 'CRELEASES',
      text: 'the card',
      kind: 'important',
      saveAs: 'card-rel-1',
    });
    const file = { name: 'canary.png', title: 'Canary chart', bytes: 0 };
    await delivery.upload(
      { key: 'chart', channel: 'CRELEASES', thread, text: 'the chart', kind: 'important', file },
      Buffer.alloc(1024, 7),
    );
    await delivery.post({
      key: 'after',
      channel: 'CRELEASES',
      thread,
      text: 'after the chart',
      kind: 'important',
    });
    const card = await waitFor('the card', async () => delivery.ref('card-rel-1'));
    await waitFor(
      'the line after the chart',
      async () => ws.store.replies('CRELEASES', card.ts).some((m) => m.text === 'after the chart'),
      30_000,
    );
    await new Promise((r) => setTimeout(r, UPLOAD_DELAY_MS + 1000)); // a second share would land now
    const replies = ws.store.replies('CRELEASES', card.ts).slice(1);
    expect(replies.map((m) => messageText(m))).toEqual(['the chart', 'after the chart']);
    expect(ws.calls('files.completeUploadExternal').filter((c) => c.ok)).toHaveLength(1);
  }, 40_000);
});
