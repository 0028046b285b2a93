// `no_data: wait` against a real Prometheus scraping a local target that exports the metric only
// later: the hold does not end early, and completes once the data has arrived.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { startServer, type TestServer } from '../../helpers/http-server.ts';
import { startPrometheus, type TestPrometheus } from '../../helpers/prometheus-scrape.ts';
import { loadTestRunbook, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';
import type { Runtime } from '../../../src/runtime.ts';

const redis = useRedis();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function yaml(prometheus: string): string {
  return `
version: 1
services:
  checkout:
    previous_version: v1.2.2
    environments:
      production:
        approvals: { required: 1, approvers: [UBOB] }
        actions:
          deploy: { command: ["node", "-e", "0"] }
          rollback: { command: ["node", "-e", "0"] }
        gates:
          error_rate:
            prometheus: { url: "${prometheus}", query: "demo_error_rate" }
            max: 0.5
            every: 500ms
            no_data: wait
            no_data_timeout: 2m
        stages:
          - deploy
          - { bake: 3s, gates: [error_rate] }
`;
}

describe('no_data: wait with a real Prometheus', () => {
  it('holds the bake while the metric is missing and completes after it arrives', async () => {
    let exporting = false;
    const target: TestServer = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(exporting ? '# TYPE demo_error_rate gauge\ndemo_error_rate 0.001\n' : '# nothing yet\n');
    });
    cleanup.push(() => target.close());
    const prom: TestPrometheus = await startPrometheus([`127.0.0.1:${target.port}`]);
    cleanup.push(() => prom.close());
    const { runtime } = await startRunway(redis.url, loadTestRunbook(yaml(prom.url)));
    cleanup.push(() => runtime.close());

    const id = await startApproved(runtime);
    const bakeStarted = await waitFor('the bake', async () => {
      const r = await runtime.store.get(id);
      return r?.stages[1]?.status === 'running' && r.stages[1].startedAt
        ? Date.parse(r.stages[1].startedAt)
        : null;
    });
    // Well past the 3s bake: it must still be waiting for data.
    await waitFor('the bake to wait for data', async () => {
      const r = await runtime.store.get(id);
      return r?.gates.error_rate?.noDataSince !== undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, bakeStarted + 5000 - Date.now())));
    const waiting = await runtime.store.get(id);
    expect(waiting?.state).toBe('running');
    expect(waiting?.stages[1]?.status).toBe('running');
    expect(waiting?.stages[1]?.holdEndsAt).toBeUndefined();

    exporting = true;
    const dataOn = Date.now();
    const done = await waitForState(runtime, id, ['completed', 'rolled_back', 'failed'], 30_000);
    expect(done.state).toBe('completed');
    // The bake's 3 seconds only count from when data came back (wide margin for scrape timing).
    expect(Date.parse(done.stages[1]!.endedAt!) - dataOn).toBeGreaterThanOrEqual(2500);
    const trail = (await runtime.engine.auditTrail(id)).map((e) => e.action);
    expect(trail).toContain('gate.waiting_for_data');
    expect(trail).toContain('gate.data_returned');
    expect(trail).not.toContain('gate.no_data_timeout');
  });
});

async function startApproved(runtime: Runtime): Promise<string> {
  const started = await runtime.engine.start({ service: 'checkout', version: 'v1.2.3', requester: 'UALICE' });
  if (!started.ok) throw new Error(started.reason);
  const id = started.release.id;
  await waitForState(runtime, id, ['awaiting_approval']);
  const approved = await runtime.engine.approve(id, { user: 'UBOB' });
  if (!approved.ok) throw new Error(approved.reason);
  return id;
}
