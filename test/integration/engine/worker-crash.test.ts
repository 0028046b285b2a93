import { afterEach, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { loadTestRunbook, startedRelease, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';
import { spawnWorkerOn, writeRunbookFile, type WorkerProcess } from '../../helpers/worker-process.ts';
import { recordedActions, withoutKeys } from '../../helpers/recorded-actions.ts';
import type { Runtime } from '../../../src/runtime.ts';

const redis = useRedis();

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

function setup(deploySleepMs: number) {
  const rec = recordedActions('crash');
  const yaml = `
version: 1
services:
  checkout:
    previous_version: v1.0.0
    approvals: { required: 0 }
    actions:
      deploy: { command: ${rec.cmd('deploy', '{{version}}')}, env: { RECORD_SLEEP_MS: "${deploySleepMs}", RECORD_STARTS: "${rec.startsFile}" } }
      traffic: { command: ${rec.cmd('traffic', '{{percent}}')} }
      rollback: { command: ${rec.cmd('rollback', '{{previous_version}}')} }
    stages:
      - deploy
      - { traffic: 10, hold: 4s }
      - { traffic: 100 }
`;
  return { file: writeRunbookFile(yaml, rec.dir), yaml, actions: rec.done, starts: rec.starts };
}

async function engineOnly(yaml: string, prefix: string): Promise<Runtime> {
  const { runtime } = await startRunway(redis.url, loadTestRunbook(yaml), { workers: false, prefix });
  cleanup.push(() => runtime.close());
  return runtime;
}

function worker(config: string, prefix: string): WorkerProcess {
  const w = spawnWorkerOn({ redisUrl: redis.url, prefix, config });
  cleanup.push(() => w.kill('SIGKILL'));
  return w;
}

describe('a worker killed with SIGKILL', () => {
  it('during a hold: another worker finishes the release and the deploy ran exactly once', async () => {
    const prefix = uniquePrefix();
    const s = setup(0);
    const runtime = await engineOnly(s.yaml, prefix);
    const first = worker(s.file, prefix);
    const id = await startedRelease(runtime, 'v2.0.0');
    // A child worker starting under a busy suite (tsx) took over 30 s once: wait wide for the setup.
    await waitFor(
      'the 10% hold',
      async () => (await runtime.store.get(id))?.stages[1]?.phase === 'hold',
      60_000,
    );
    await first.kill('SIGKILL');
    worker(s.file, prefix);
    const done = await waitForState(runtime, id, ['completed', 'rolled_back', 'failed'], 45_000);
    expect(done.state).toBe('completed');
    expect(withoutKeys(s.actions())).toEqual(['deploy v2.0.0', 'traffic 10', 'traffic 100']);
  }, 120_000);

  it('during the deploy: the cut-off deploy runs again with the same idempotency key', async () => {
    const prefix = uniquePrefix();
    const s = setup(1500);
    const runtime = await engineOnly(s.yaml, prefix);
    const first = worker(s.file, prefix);
    const id = await startedRelease(runtime, 'v2.0.1');
    await waitFor('the deploy to start', async () => s.starts().length === 1, 30_000);
    await first.kill('SIGKILL');
    worker(s.file, prefix);
    const done = await waitForState(runtime, id, ['completed', 'rolled_back', 'failed'], 60_000);
    expect(done.state).toBe('completed');
    const starts = s.starts();
    expect(starts).toHaveLength(2);
    expect(starts[0]).toBe(`deploy v2.0.1 key=${id}-s0-a1`);
    expect(starts[1]).toBe(starts[0]);
    // Traffic steps after the crash ran once each.
    expect(s.actions().filter((l) => l.startsWith('traffic'))).toHaveLength(2);
    // The repeat is audited (and said in the thread: the machine's note, see its unit test), once.
    const resumed = (await runtime.audit.forRelease(id)).filter((e) => e.action === 'action.resumed');
    expect(resumed).toHaveLength(1);
    expect(resumed[0]?.details).toMatchObject({ action: 'deploy', stage: 0, attempt: 1, run: 2 });
  }, 90_000);
});
