// Steady gate readings refresh a card once per window, through the card-refresh due set: two worker
// processes sharing one Redis refresh it once between them, each refresh renders the release as it is
// then, and the gate's next samples are armed by the saves themselves (no outbox for a steady sample).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { loadTestRunbook, startRunway, waitFor } from '../../helpers/runway.ts';
import { startServer, type TestServer } from '../../helpers/http-server.ts';
import { holdingService, steadyVector } from '../../helpers/gate-hold.ts';
import { CARD_WINDOW_MS } from '../../../src/engine/inline-effects.ts';

const redis = useRedis();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

let prom: TestServer;
beforeAll(async () => {
  prom = await startServer((_req, res) => steadyVector(res));
});
afterAll(() => prom.close());

describe('card refreshes of steady readings', () => {
  it('come once per window across two workers, each showing the readings of its time', async () => {
    const yaml = `version: 1\nservices:${holdingService('checkout', prom.url)}\n`;
    const prefix = uniquePrefix();
    const runbook = loadTestRunbook(yaml);
    const a = await startRunway(redis.url, runbook, { prefix });
    const b = await startRunway(redis.url, runbook, { prefix });
    cleanup.push(
      () => a.runtime.close(),
      () => b.runtime.close(),
    );
    const started = await a.runtime.engine.start({ service: 'checkout', version: 'v2.0.0', requester: 'UA' });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;
    // Every sample's durable record is its chart point; the release saves steady readings once per
    // card window (the window's last sample), which is what a refresh shows.
    const samples = async () => (await a.runtime.insight.samples.list(id)).length;
    await waitFor('the first sample', async () => (await samples()) >= 1, 30_000);
    const from = await samples();
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 3 * CARD_WINDOW_MS + 500));
    const taken = (await samples()) - from;
    const refreshes = [...a.notifier.refreshed, ...b.notifier.refreshed]
      .filter((r) => r.at >= t0)
      .sort((x, y) => x.at - y.at);
    // About one sample a second, but one refresh per 5 s window (three windows, give or take one).
    expect(taken).toBeGreaterThanOrEqual(8);
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    expect(refreshes.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < refreshes.length; i++)
      expect(refreshes[i]!.at - refreshes[i - 1]!.at).toBeGreaterThan(CARD_WINDOW_MS / 2);
    // Each renders the reading of its moment: taken in the window it refreshes, a newer one each time.
    const readAt = refreshes.map((r) => Date.parse(r.release.gates.error_rate!.at));
    for (let i = 0; i < refreshes.length; i++) {
      expect(refreshes[i]!.at - readAt[i]!).toBeGreaterThanOrEqual(0);
      expect(refreshes[i]!.at - readAt[i]!).toBeLessThan(CARD_WINDOW_MS);
      if (i > 0) expect(readAt[i]!).toBeGreaterThan(readAt[i - 1]!);
    }
    // Steady samples never went through the outbox, and the release holds one armed sample.
    expect(await a.runtime.store.pendingOutbox()).toEqual([]);
    expect(await a.runtime.gates.size()).toBe(1);
    // The chart keeps every sample the Prometheus stand-in answered (written by the sampler's
    // scripts themselves; one may still be on its way).
    const answered = prom.requests.length;
    expect(await samples()).toBeGreaterThanOrEqual(answered - 1);
    expect(await samples()).toBeLessThanOrEqual(answered);
  }, 60_000);
});
