import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { loadTestRunbook, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';
import { startDemoService, type DemoService } from '../../../src/sandbox/demo/service.ts';
import { demoRunbookText } from '../../../src/sandbox/demo-runbook.ts';
import type { Runtime } from '../../../src/runtime.ts';

const redis = useRedis();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function setup(): Promise<{ demo: DemoService; runtime: Runtime }> {
  const demo = await startDemoService({ tickMs: 250, rps: 400 });
  cleanup.push(() => demo.close());
  const { runtime } = await startRunway(redis.url, loadTestRunbook(demoRunbookText(demo.url)));
  cleanup.push(() => runtime.close());
  return { demo, runtime };
}

async function approved(runtime: Runtime, version: string): Promise<string> {
  const started = await runtime.engine.start({ service: 'shop', version, requester: 'UALICE' });
  if (!started.ok) throw new Error(started.reason);
  const id = started.release.id;
  await waitFor('pre-flight', async () => (await runtime.store.get(id))?.state === 'awaiting_approval');
  await runtime.engine.approve(id, { user: 'UBOB' });
  await runtime.engine.approve(id, { user: 'UCAROL' });
  return id;
}

describe('the demo service behind the bundled demo runbook', () => {
  it('a -bad version breaches the error-rate gate at 10% and rolls back to the previous version', async () => {
    const { demo, runtime } = await setup();
    const id = await approved(runtime, 'v1.3.0-bad');
    await waitFor('10% on the canary', async () => demo.state().weight === 10);
    const done = await waitForState(runtime, id, ['rolled_back', 'completed', 'failed'], 40_000);
    expect(done.state).toBe('rolled_back');
    expect(done.rollback?.reason).toMatch(/gate error_rate: 0\.0\d+ > max 0\.02/);
    expect(done.rollback?.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'traffic:done',
      'rollback:done',
      'verify:done',
    ]);
    expect(demo.state()).toEqual({ stable: 'v1.2.0', canary: null, weight: 0 });
  }, 60_000);

  it('serves Prometheus metrics and a health endpoint', async () => {
    const { demo } = await setup();
    await new Promise((r) => setTimeout(r, 600));
    const metrics = await (await fetch(`${demo.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{version="v1.2.0",code="200"\} \d+/);
    expect(await (await fetch(`${demo.url}/health`)).json()).toMatchObject({
      status: 'healthy',
      stable: 'v1.2.0',
    });
    const q = await (await fetch(`${demo.url}/api/v1/query?query=up`)).json();
    expect(q).toMatchObject({ status: 'success', data: { resultType: 'vector' } });
  });
});
