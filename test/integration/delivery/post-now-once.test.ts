// postNow (an incident's card, its announcement) whose answer was lost after Slack took the post — a
// 500 or a timeout — is not posted twice when its caller's job tries again: the retry finds it.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { loadTestRunbook, memoryLogger } from '../../helpers/runway.ts';
import { BOT_TOKEN } from '../../helpers/slack-runway.ts';
import { limitedWorkspace, ONE_STAGE_YAML } from '../../helpers/delivery.ts';
import { createRuntime } from '../../../src/runtime.ts';
import { slackClient } from '../../../src/slack/services.ts';
import { deliveryClient } from '../../../src/slack/delivery/client.ts';
import type { SlackDelivery } from '../../../src/slack/delivery/service.ts';
import { lossyProxy } from '../../helpers/lossy-proxy.ts';

const redis = useRedis();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('postNow after a lost answer', () => {
  it('a retry returns the message Slack took instead of posting it again', async () => {
    const ws = await limitedWorkspace();
    cleanup.push(() => ws.close());
    let losses = 1;
    const proxy = await lossyProxy(ws.apiUrl, (m) => m === 'chat.postMessage' && losses-- > 0);
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
    const delivery = runtime.slack!.delivery as SlackDelivery;
    const card = { key: 'incident-i1-card', channel: 'CONCALL', text: 'Incident i1: checkout errors' };
    await expect(delivery.postNow(card)).rejects.toThrow(); // the 500: the caller's job tries again
    const again = await delivery.postNow(card);
    const history = ws.store.history('CONCALL');
    expect(history.map((m) => m.text)).toEqual(['Incident i1: checkout errors']);
    expect(again.ts).toBe(history[0]!.ts);
    // Once answered, the same key posts anew (nothing stale is left to find).
    await delivery.postNow({ ...card, text: 'Incident i1: resolved' });
    expect(ws.store.history('CONCALL').map((m) => m.text)).toHaveLength(2);
  }, 30_000);
});
