// A live worker whose BullMQ job lock lapses — what a Redis failover longer than the lock does — must
// not see its action started a second time beside it (SPEC 4, 14: no action runs twice). Simulated by
// deleting the job's lock while its deploy runs: BullMQ's stalled check then hands the job out again,
// as it would after a failover, and the action run's heartbeat says its worker is alive.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { loadTestRunbook, startRunway, startedRelease, waitFor, waitForState } from '../../helpers/runway.ts';
import { recordedActions, withoutKeys } from '../../helpers/recorded-actions.ts';
import { bullPrefix, QUEUE } from '../../../src/queue/queues.ts';

const redis = useRedis();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

describe('a job lock lost while its action runs', () => {
  it('the step handed out again waits for the live run: the deploy starts once and the release completes', async () => {
    const rec = recordedActions('lock-lost');
    const yaml = `
version: 1
services:
  checkout:
    previous_version: v1.0.0
    approvals: { required: 0 }
    actions:
      deploy: { command: ${rec.cmd('deploy', '{{version}}')}, env: { RECORD_SLEEP_MS: "6000", RECORD_STARTS: "${rec.startsFile}" } }
      rollback: { command: ${rec.cmd('rollback', '{{previous_version}}')} }
    stages: [deploy]
`;
    const prefix = uniquePrefix();
    const { runtime } = await startRunway(redis.url, loadTestRunbook(yaml), { prefix });
    cleanup.push(() => runtime.close());
    const id = await startedRelease(runtime, 'v2.0.0');
    await waitFor('the deploy to start', async () => rec.starts().length === 1, 30_000);
    const client = redis.connect();
    const locks = await client.keys(`${bullPrefix(prefix)}:${QUEUE.steps}:*:lock`);
    expect(locks).toHaveLength(1);
    // Lost, as on a promoted replica that never saw the last renewal; the stalled check (1 s in
    // tests) puts the job back and another worker slot takes it while the deploy still runs.
    await client.del(locks[0]!);
    const done = await waitForState(runtime, id, ['completed', 'rolled_back', 'failed'], 60_000);
    expect(done.state).toBe('completed');
    expect(rec.starts()).toHaveLength(1);
    expect(withoutKeys(rec.done())).toEqual(['deploy v2.0.0']);
  }, 90_000);
});
