// A flag stage through the engine (real Redis, real BullMQ workers) against the LaunchDarkly fake:
// a 4xx from the provider fails the stage at once with the provider's message, and the step job is
// not retried as if transient; 5xx answers are retried with backoff inside the step and the stage
// goes on.
import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime.ts';
import { useRedis } from '../../helpers/redis.ts';
import { loadTestRunbook, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';
import { startFakeLaunchDarkly, type FakeLaunchDarkly } from '../../helpers/fake-launchdarkly.ts';

const redis = useRedis();
const TOKEN = 'ld-stage-token-1234';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function release(ld: FakeLaunchDarkly) {
  const runbook = loadTestRunbook(
    `
version: 1
services:
  web:
    previous_version: v1.0.0
    approvals: { required: 0 }
    actions:
      deploy: { command: ["node", "-e", "0"] }
      rollback: { command: ["node", "-e", "0"] }
      ai: { flag: { provider: launchdarkly, key: ai_suggestions, project: web, environment: production, token: "\${LD_TOKEN}", url: "${ld.url}" } }
    stages:
      - deploy
      - { flag: ai, percent: 10, name: "AI suggestions for 10%" }
`,
    { LD_TOKEN: TOKEN },
  );
  const { runtime, notifier } = await startRunway(redis.url, runbook);
  open.push({ close: () => runtime.close() });
  const started = await runtime.engine.start({ service: 'web', version: 'v1.1.0', requester: 'UALICE' });
  if (!started.ok) throw new Error(started.reason);
  const end = await waitForState(runtime, started.release.id, ['completed', 'rolled_back', 'failed'], 30_000);
  return { runtime: runtime as Runtime, notifier, end };
}

async function fake(): Promise<FakeLaunchDarkly> {
  const ld = await startFakeLaunchDarkly({ project: 'web', key: 'ai_suggestions', token: TOKEN });
  open.push(ld);
  return ld;
}

const calls = (ld: FakeLaunchDarkly) =>
  ld.server.requests.map((r) => {
    if (r.method === 'GET') return 'GET';
    const patch = JSON.parse(r.body.toString()) as { instructions: { kind: string }[] };
    return patch.instructions.map((i) => i.kind).join(',');
  });

describe('a flag stage and its provider', () => {
  it('a 403 fails the stage with the provider message, once, and the walk back turns the flag off', async () => {
    const ld = await fake();
    ld.failNext(403, 1);
    const { end, notifier } = await release(ld);
    const stage = end.stages[1]!;
    expect(stage.status).toBe('failed');
    expect(stage.attempt).toBe(1);
    expect(stage.detail?.summary).toContain(
      'flag ai_suggestions could not be turned on at 10%: HTTP 403 from launchdarkly: forced 403',
    );
    // Thread lines are delivered by the notify queue after the state is saved: wait for the line.
    await waitFor('the thread line with the provider message', async () =>
      notifier.texts(end.id).some((t) => t.includes('HTTP 403 from launchdarkly: forced 403')),
    );
    // One refused call, not retried by the action nor by the job; then the undo of the started stage.
    expect(calls(ld)).toEqual(['GET', 'turnFlagOff']);
    expect(end.state).toBe('rolled_back');
    expect(ld.env('production').on).toBe(false);
  }, 60_000);

  it('two 503s are retried with backoff and the stage turns the flag on', async () => {
    const ld = await fake();
    ld.failNext(503, 2);
    const { end } = await release(ld);
    expect(end.state).toBe('completed');
    expect(calls(ld)).toEqual(['GET', 'GET', 'GET', 'updateFallthroughVariationOrRollout', 'turnFlagOn']);
    expect(ld.env('production')).toEqual({ on: true, weights: { 'v-true': 10_000, 'v-false': 90_000 } });
    expect(end.stages[1]).toMatchObject({ status: 'done', attempt: 1 });
  }, 60_000);
});
