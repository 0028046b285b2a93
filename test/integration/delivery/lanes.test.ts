// The delivery layer against the workspace fake with Slack's limits on: real worker processes on a
// real Redis share one channel's pace, a killed worker's pending posts are delivered by another
// (none twice), a permanent refusal is set aside after one try while a 429 never is, and people's
// requests do not wait behind a channel Slack is holding back.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { loadTestRunbook, memoryLogger, waitFor } from '../../helpers/runway.ts';
import { spawnWorkerOn, writeRunbookFile, type WorkerProcess } from '../../helpers/worker-process.ts';
import { BOT_TOKEN, startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import type { TestWorkspace } from '../../helpers/workspace.ts';
import { deliveryOf, limitedWorkspace, ONE_STAGE_YAML, posted, queueLines } from '../../helpers/delivery.ts';
import { createRuntime, type Runtime } from '../../../src/runtime.ts';
import { slackClient } from '../../../src/slack/services.ts';
import type { SlackDelivery } from '../../../src/slack/delivery/service.ts';
import { WebClient } from '@slack/web-api';

const webClientFor = (r: SlackRunway) => new WebClient(BOT_TOKEN, { slackApiUrl: r.ws.apiUrl });

const redis = useRedis();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A workspace with Slack's limits, and a runtime without workers that only queues posts. */
async function producer(
  prefix: string,
): Promise<{ ws: TestWorkspace; runtime: Runtime; delivery: SlackDelivery }> {
  const ws = await limitedWorkspace();
  cleanup.push(() => ws.close());
  const book = loadTestRunbook(ONE_STAGE_YAML);
  const runtime = createRuntime({
    redisUrl: redis.url,
    prefix,
    runbook: () => book,
    log: memoryLogger().log,
    slack: { client: slackClient(BOT_TOKEN, ws.apiUrl) },
  });
  cleanup.push(() => runtime.close());
  return { ws, runtime, delivery: runtime.slack?.delivery as SlackDelivery };
}

function worker(ws: TestWorkspace, prefix: string): WorkerProcess {
  const p = spawnWorkerOn(
    { redisUrl: redis.url, prefix, config: writeRunbookFile(ONE_STAGE_YAML) },
    { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: ws.apiUrl, PORT: '0' },
  );
  cleanup.push(() => p.kill('SIGKILL'));
  return p;
}

describe('delivery lanes', () => {
  it('two worker processes posting to one channel keep within one channel’s pace together', async () => {
    const prefix = uniquePrefix();
    const { ws, delivery } = await producer(prefix);
    worker(ws, prefix);
    worker(ws, prefix);
    await queueLines(delivery, 'CRELEASES', 14, 'pace');
    await waitFor('14 posts', async () => posted(ws, 'CRELEASES').length === 14 || null, 90_000);
    const at = posted(ws, 'CRELEASES').map((c) => c.at);
    // One a second with a burst of 3: any span of w ms holds at most 3 + w/1000 posts (+1 for clock edges).
    for (let i = 0; i < at.length; i++)
      for (let j = i + 1; j < at.length; j++)
        expect(j - i + 1, `posts ${i}..${j} in ${at[j]! - at[i]!} ms`).toBeLessThanOrEqual(
          4 + (at[j]! - at[i]!) / 1000,
        );
    expect(ws.calls('chat.postMessage').filter((c) => c.error === 'ratelimited')).toEqual([]);
    const texts = posted(ws, 'CRELEASES').map((c) => c.args.text);
    expect(texts).toEqual(Array.from({ length: 14 }, (_, i) => `pace line ${i + 1}`));
  }, 120_000);

  it('a worker killed while posts are pending: another delivers them, in order, none twice', async () => {
    const prefix = uniquePrefix();
    const { ws, delivery } = await producer(prefix);
    const first = worker(ws, prefix);
    await queueLines(delivery, 'CRELEASES', 12, 'crash');
    await waitFor('some posts', async () => posted(ws, 'CRELEASES').length >= 5 || null, 60_000);
    await first.kill('SIGKILL');
    const before = posted(ws, 'CRELEASES').length;
    expect(before).toBeLessThan(12);
    worker(ws, prefix);
    await waitFor('every post', async () => posted(ws, 'CRELEASES').length >= 12 || null, 90_000);
    await new Promise((r) => setTimeout(r, 1500)); // a repeat would show up now
    const texts = posted(ws, 'CRELEASES').map((c) => c.args.text);
    expect(texts).toEqual(Array.from({ length: 12 }, (_, i) => `crash line ${i + 1}`));
  }, 150_000);
});

describe('taking over after a crash mid-send', () => {
  it('does not post again what a stopped drainer had already posted', async () => {
    const r = await startSlackRunway(redis.url, ONE_STAGE_YAML, { rateLimits: true });
    cleanup.push(() => r.close());
    const delivery = deliveryOf(r);
    // The drainer pushed, noted it was sending, Slack took the post, and the process died.
    await delivery.lanes.push({
      key: 'half-done',
      channel: 'CRELEASES',
      text: 'Stage 1/2 started',
      kind: 'routine',
    });
    await delivery.lanes.sending('CRELEASES', { keys: ['half-done'], text: 'Stage 1/2 started' });
    await webClientFor(r).chat.postMessage({ channel: 'CRELEASES', text: 'Stage 1/2 started' });
    await delivery.post({ key: 'next', channel: 'CRELEASES', text: 'Stage 1/2 done', kind: 'routine' });
    await waitFor('the next post', async () => posted(r.ws, 'CRELEASES').length === 2 || null);
    await new Promise((res) => setTimeout(res, 1500));
    expect(posted(r.ws, 'CRELEASES').map((c) => c.args.text)).toEqual([
      'Stage 1/2 started',
      'Stage 1/2 done',
    ]);
    expect((await delivery.depths()).filter((d) => d.depth > 0)).toEqual([]);
  });
});

describe('refusals and rate limits', () => {
  let r: SlackRunway;
  async function start(): Promise<SlackRunway> {
    r = await startSlackRunway(redis.url, ONE_STAGE_YAML, { rateLimits: true });
    cleanup.push(() => r.close());
    return r;
  }

  it('sets a post to an archived channel aside after the first try, and audits it', async () => {
    await start();
    // Slack's answer for an archived channel, once: a second try would go through and show up.
    r.ws.failNext('chat.postMessage', { error: 'is_archived' }, 1);
    const delivery = deliveryOf(r);
    await delivery.post({
      key: 'to-archived',
      channel: 'CONCALL',
      text: 'hello',
      kind: 'important',
      foldKey: 'rel-1',
    });
    await delivery.post({
      key: 'after-it',
      channel: 'CRELEASES',
      text: 'still delivered',
      kind: 'important',
    });
    await waitFor('the audit entry', async () => {
      const entries = await r.runtime.audit.forRelease('rel-1');
      return entries.find((e) => e.action === 'notification.failed');
    });
    await waitFor('the other channel', async () => posted(r.ws, 'CRELEASES').length === 1 || null);
    await new Promise((res) => setTimeout(res, 1500)); // a retry would show up now
    expect(r.ws.calls('chat.postMessage').filter((c) => c.args.channel === 'CONCALL')).toHaveLength(1);
    expect(r.ws.store.history('CONCALL').filter((m) => m.text === 'hello')).toEqual([]);
    expect(r.lines.some((l) => l.includes('set aside') && l.includes('is_archived'))).toBe(true);
    expect((await delivery.depths()).filter((d) => d.depth > 0)).toEqual([]);
  });

  it('never sets a rate-limited post aside: it waits Retry-After and goes through, in order', async () => {
    await start();
    r.ws.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 4);
    const delivery = deliveryOf(r);
    await queueLines(delivery, 'CONCALL', 3, 'limited');
    await waitFor('all three', async () => posted(r.ws, 'CONCALL').length === 3 || null, 30_000);
    expect(posted(r.ws, 'CONCALL').map((c) => c.args.text)).toEqual([
      'limited line 1',
      'limited line 2',
      'limited line 3',
    ]);
    expect(r.ws.calls('chat.postMessage').filter((c) => c.error === 'ratelimited')).toHaveLength(4);
    expect((await r.runtime.audit.latest(100)).map((e) => e.action)).not.toContain('notification.failed');
  });

  it('answers people at once while Slack holds a busy channel back: ack, ephemeral reply, Home tab', async () => {
    await start();
    // #releases is told to wait 30 s, with a backlog queued behind it.
    r.ws.failNext('chat.postMessage', { status: 429, retryAfter: 30 }, 1);
    const delivery = deliveryOf(r);
    await queueLines(delivery, 'CRELEASES', 20, 'backlog');
    await waitFor(
      'the 429',
      async () => r.ws.calls('chat.postMessage').some((c) => c.error === 'ratelimited') || null,
    );
    const t0 = Date.now();
    const ack = await r.ws.slash('UBOB', 'CRELEASES', '/release', 'status');
    expect(ack.status).toBe(200);
    await waitFor('the ephemeral reply', async () => r.ws.store.ephemerals('UBOB').length > 0 || null, 5000);
    await r.ws.openHome('UBOB');
    await waitFor('the Home tab', async () => r.ws.calls('views.publish').length > 0 || null, 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    // Meanwhile the backlog still waits for Retry-After: nothing was posted to #releases.
    expect(posted(r.ws, 'CRELEASES')).toEqual([]);
  });
});
