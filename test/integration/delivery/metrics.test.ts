// /metrics of the delivery layer: queue depth and the oldest pending post per channel (read from
// Redis at scrape time), 429s by method, card edits deferred.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { deliveryOf, ONE_STAGE_YAML } from '../../helpers/delivery.ts';

const redis = useRedis();
let r: SlackRunway | undefined;
afterEach(async () => {
  await r?.close();
});

function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && want.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('delivery metrics', () => {
  it('shows the queue depth and oldest post per channel, 429s by method and deferred card edits', async () => {
    const metrics = createMetrics();
    r = await startSlackRunway(redis.url, ONE_STAGE_YAML, { rateLimits: true, metrics });
    r.ws.failNext('chat.postMessage', { status: 429, retryAfter: 5 }, 1);
    const delivery = deliveryOf(r);
    for (let i = 1; i <= 6; i++)
      await delivery.post({ key: `m-${i}`, channel: 'CRELEASES', text: `line ${i}`, kind: 'important' });
    await waitFor('the 429', async () => r!.ws.calls().some((c) => c.error === 'ratelimited') || null);
    await new Promise((res) => setTimeout(res, 1200));
    const held = await metrics.registry.metrics();
    expect(sample(held, 'runway_slack_delivery_queue_depth', { channel: 'CRELEASES' })).toBe(6);
    expect(
      sample(held, 'runway_slack_delivery_oldest_pending_seconds', { channel: 'CRELEASES' }),
    ).toBeGreaterThan(1);
    expect(sample(held, 'runway_slack_rate_limited_total', { method: 'chat.postMessage' })).toBe(1);
    // The delivery layer retries by itself (its client does not): each retry is counted too.
    expect(sample(held, 'runway_slack_retries_total', { reason: 'rate_limited' })).toBe(1);
    r.ws.failNext('chat.postMessage', { status: 503 }, 1);
    await delivery.post({ key: 'm-7', channel: 'CRELEASES', text: 'line 7', kind: 'important' });
    await waitFor('the 5xx retried', async () => {
      const text = await metrics.registry.metrics();
      return sample(text, 'runway_slack_retries_total', { reason: 'http_503' }) === 1 || null;
    });

    // Two changes of one card within its second: the second joins the edit already waiting.
    await delivery.cardChanged('release-nope', 'a');
    await delivery.cardChanged('release-nope', 'b');
    const later = await metrics.registry.metrics();
    expect(sample(later, 'runway_slack_updates_deferred_total')).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
