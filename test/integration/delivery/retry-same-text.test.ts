// A retried post is not mistaken for an identical line posted just before it: after a 429 Slack did not
// take the post, so nothing is looked for; after a 5xx only a message newer than that attempt counts.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { FAST, loadTestRunbook, memoryLogger, waitFor } from '../../helpers/runway.ts';
import { BOT_TOKEN, startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import type { Fault } from '../../helpers/workspace.ts';
import { deliveryOf, limitedWorkspace, ONE_STAGE_YAML } from '../../helpers/delivery.ts';
import { lossyProxy } from '../../helpers/lossy-proxy.ts';
import { createRuntime } from '../../../src/runtime.ts';
import { slackClient } from '../../../src/slack/services.ts';
import { deliveryClient } from '../../../src/slack/delivery/client.ts';
import type { SlackDelivery } from '../../../src/slack/delivery/service.ts';

const redis = useRedis();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const RESUMED = ':arrow_forward: Resumed by <@UALICE>.';

/** Root, then reply A delivered; then `fault` on the next post, B (A's text) and C queued behind it. */
async function replies(fault: Fault): Promise<{ r: SlackRunway; texts: string[] }> {
  const r = await startSlackRunway(redis.url, ONE_STAGE_YAML, { rateLimits: true });
  cleanup.push(() => r.close());
  const delivery = deliveryOf(r);
  const thread = { ref: 'card-rel-1' };
  const line = { channel: 'CRELEASES', thread, kind: 'important' as const, foldKey: 'rel-1' };
  await delivery.post({
    key: 'root',
    channel: 'CRELEASES',
    text: 'root',
    kind: 'important',
    saveAs: 'card-rel-1',
  });
  await delivery.post({ ...line, key: 'a', text: RESUMED });
  const root = await waitFor('the root', async () => delivery.ref('card-rel-1'));
  await waitFor('reply A', async () => r.ws.store.replies('CRELEASES', root.ts).length === 2 || null);
  r.ws.failNext('chat.postMessage', fault, 1);
  await delivery.post({ ...line, key: 'b', text: RESUMED });
  await delivery.post({ ...line, key: 'c', text: 'after' });
  await waitFor(
    'reply C',
    async () => r.ws.store.replies('CRELEASES', root.ts).some((m) => m.text === 'after'),
    20_000,
  );
  return {
    r,
    texts: r.ws.store
      .replies('CRELEASES', root.ts)
      .slice(1)
      .map((m) => m.text),
  };
}

describe('a retried post with the same text as the line before it', () => {
  it('after a 429 is posted, in its place', async () => {
    const { texts } = await replies({ status: 429, retryAfter: 1 });
    expect(texts).toEqual([RESUMED, RESUMED, 'after']);
  }, 30_000);

  it('after a 5xx Slack did not act on is posted, in its place', async () => {
    const { texts } = await replies({ status: 500 });
    expect(texts).toEqual([RESUMED, RESUMED, 'after']);
  }, 30_000);

  it('after an answer lost once Slack took it is found, not posted twice', async () => {
    const ws = await limitedWorkspace();
    cleanup.push(() => ws.close());
    let losses = 1;
    const lose = (m: string, body: string) =>
      m === 'chat.postMessage' && body.includes('lost') && losses-- > 0;
    const proxy = await lossyProxy(ws.apiUrl, lose);
    cleanup.push(() => proxy.close());
    const book = loadTestRunbook(ONE_STAGE_YAML);
    const runtime = createRuntime({
      redisUrl: redis.url,
      prefix: uniquePrefix(),
      runbook: () => book,
      log: memoryLogger().log,
      slack: {
        client: slackClient(BOT_TOKEN, ws.apiUrl),
        delivery: { client: deliveryClient(BOT_TOKEN, proxy.url) },
      },
    });
    cleanup.push(() => runtime.close());
    await runtime.startWorkers(FAST);
    const delivery = runtime.slack!.delivery as SlackDelivery;
    for (const text of [RESUMED, 'lost', 'after'])
      await delivery.post({ key: text, channel: 'CONCALL', text, kind: 'important' });
    await waitFor(
      'the last line',
      async () => ws.store.history('CONCALL').some((m) => m.text === 'after'),
      20_000,
    );
    await new Promise((res) => setTimeout(res, 1500)); // a repeat would show up now
    expect(ws.store.history('CONCALL').map((m) => m.text)).toEqual([RESUMED, 'lost', 'after']);
  }, 30_000);
});
