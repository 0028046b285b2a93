// Each sustained gate breach of a release gets its own canary chart (SPEC section 12): with
// on_breach: pause, a breach pauses the release, a resume lets it run, and a second breach pauses it
// again, in the same stage. Runway's Bolt app, workers and Redis, the in-repo Slack workspace and a
// Prometheus-shaped server whose reading the test sets.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import { sendJson, startServer, type TestServer } from '../../helpers/http-server.ts';
import { messageText } from '../../helpers/workspace.ts';

const redis = useRedis();
let errorRate = 0.001;
let prometheus: TestServer;
beforeAll(async () => {
  prometheus = await startServer((_req, res) =>
    sendJson(res, 200, {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, String(errorRate)] }] },
    }),
  );
});
const running: SlackRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});
afterAll(() => prometheus.close());

const yaml = () => `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
services:
  checkout:
    previous_version: v1.0.0
    environments:
      production:
        approvals: { required: 1 }
        actions:
          deploy: { command: ["node", "-e", "0"] }
          traffic: { command: ["node", "-e", "0"] }
          rollback: { command: ["node", "-e", "0"] }
        gates:
          error_rate:
            prometheus: { url: "${prometheus.url}", query: 'sum(rate(errors[1m]))' }
            max: 0.005
            for: 300ms
            every: 100ms
        stages:
          - deploy
          - { traffic: 10, hold: 1m, gates: [error_rate] }
          - { traffic: 100 }
        on_breach: pause
        rollback_incident: none
`;

describe('breach charts', () => {
  it('charts each breach that paused the release, once each', async () => {
    const r = await startSlackRunway(redis.url, yaml());
    running.push(r);
    const started = await r.runtime.engine.start({
      service: 'checkout',
      version: 'v1.1.0',
      requester: 'UALICE',
      originChannel: 'CRELEASES',
    });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;
    const card = await r.card('CRELEASES', id);
    expect(await r.runtime.engine.approve(id, { user: 'UBOB' })).toMatchObject({ ok: true });
    const charts = () => r.ws.store.replies('CRELEASES', card.ts).filter((m) => (m.files?.length ?? 0) > 0);
    const pausedByGate = async () => {
      const release = await r.runtime.store.get(id);
      return release?.state === 'paused' && release.pause?.by === 'runway';
    };
    await waitFor('traffic at 10%', async () => (await r.runtime.store.get(id))?.traffic === 10);
    errorRate = 0.05;
    await waitFor('the first pause', pausedByGate);
    await waitFor('the first breach chart', async () => charts().length === 1);

    errorRate = 0.001;
    await waitFor('a sample back within bounds', async () => {
      const release = await r.runtime.store.get(id);
      return release?.gates.error_rate?.verdict === 'ok';
    });
    expect(await r.runtime.engine.resume(id, { user: 'UALICE' })).toMatchObject({ ok: true });
    await waitFor('running again', async () => (await r.runtime.store.get(id))?.state === 'running');
    errorRate = 0.05;
    await waitFor('the second pause', pausedByGate);
    await waitFor('the second breach chart', async () => charts().length === 2);
    for (const chart of charts()) expect(messageText(chart)).toContain('Canary chart at the breach');

    // Every chart job again (a re-delivery): nothing new is drawn or uploaded.
    const jobs = (await r.runtime.queues.insight.getJobs()).filter((j) => j.name === 'chart');
    expect(jobs).toHaveLength(2);
    for (const job of jobs)
      expect(await r.runtime.insight.service.chart(id, 'breach', job.data.breach)).toBe('posted already');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(charts()).toHaveLength(2);
    expect(r.ws.calls('files.getUploadURLExternal')).toHaveLength(2);
  });
});
