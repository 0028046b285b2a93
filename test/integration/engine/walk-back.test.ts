// Issue 12: a breach at 50% walks back over every started stage's undo, newest first, each once.
// Real redis-server, real BullMQ workers, real commands; a Prometheus-format server on 127.0.0.1 and a
// LaunchDarkly fake (its REST v2 semantic patch) reached through the product's flag client.
import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime.ts';
import { useRedis } from '../../helpers/redis.ts';
import { loadTestRunbook, startRunway, waitForState } from '../../helpers/runway.ts';
import { LD_TOKEN, WALK, walkBackFixture, type WalkBackFixture } from '../../helpers/walk-back-fixture.ts';

const redis = useRedis();
const runtimes: Runtime[] = [];
const fixtures: WalkBackFixture[] = [];
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.close();
  for (const f of fixtures.splice(0)) await f.close();
});

describe('a breach at 50% walks the release back', () => {
  it('runs snapshot, migrate, deploy, flag on 10%, traffic 50, then traffic 0, flag off, rollback, migrate_down, each once', async () => {
    const f = await walkBackFixture();
    fixtures.push(f);
    const runbook = loadTestRunbook(f.yaml, { LD_TOKEN });
    const { runtime } = await startRunway(redis.url, runbook, { tuning: { cancelPollMs: 100 } });
    runtimes.push(runtime);
    const started = await runtime.engine.start({
      service: 'checkout',
      version: 'v1.3.0',
      requester: 'UALICE',
    });
    if (!started.ok) throw new Error(started.reason);
    const end = await waitForState(
      runtime,
      started.release.id,
      ['rolled_back', 'failed', 'completed'],
      40_000,
    );
    expect(f.actions()).toEqual(WALK);
    expect(end.state).toBe('rolled_back');
    // The automatic rollback left the flag off in LaunchDarkly.
    expect(f.ld.env('production').on).toBe(false);
  }, 60_000);
});
