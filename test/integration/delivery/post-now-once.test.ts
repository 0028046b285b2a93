// postNow (an incident's card, its announcement) whose answer was lost after Slack took the post — a
// 500 or a timeout — is not posted twice when its caller's job tries again: the retry finds it.
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { loadTestRunbook, memoryLogger } from '../../helpers/runway.ts';
import { BOT_TOKEN } from '../../helpers/slack-runway.ts';
import { limitedWorkspace, ONE_STAGE_YAML } from '../../helpers/delivery.ts';
import { createRuntime } from '../../../src/runtime.ts';
import { slackClient } from '../../../src/slack/services.ts';
import { deliveryClient } from '../../../src/slack/delivery/client.ts';
import type { SlackDelivery } from '../../../src/slack/delivery/service.ts';

const redis = useRedis();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Forwards every call to `target`; when `lose(method)`, the call reaches Slack and its answer is a 500. */
async function lossyProxy(target: string, lose: (method: string) => boolean): Promise<string> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const method = (req.url ?? '').replace(/^\/+(api\/)?/, '');
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
    ) as Record<string, string>;
    const up = await fetch(`${target.replace(/\/?$/, '/')}${method}`, {
      method: 'POST',
      headers,
      body: Buffer.concat(chunks),
    });
    const text = await up.text();
    if (lose(method)) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream lost');
      return;
    }
    res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanup.push(() => new Promise((r) => server.close(() => r(undefined))));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/api/`;
}

describe('postNow after a lost answer', () => {
  it('a retry returns the message Slack took instead of posting it again', async () => {
    const ws = await limitedWorkspace();
    cleanup.push(() => ws.close());
    let losses = 1;
    const proxy = await lossyProxy(ws.apiUrl, (m) => m === 'chat.postMessage' && losses-- > 0);
    const book = loadTestRunbook(ONE_STAGE_YAML);
    const runtime = createRuntime({
      redisUrl: redis.url,
      prefix: uniquePrefix(),
      runbook: () => book,
      log: memoryLogger().log,
      slack: {
        client: slackClient(BOT_TOKEN, ws.apiUrl),
        delivery: { client: deliveryClient(BOT_TOKEN, proxy) },
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
