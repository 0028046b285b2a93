import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { loadTestRunbook, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';
import { spawnWorker, type WorkerProcess } from '../../helpers/worker-process.ts';
import type { Runtime } from '../../../src/runtime.ts';

const redis = useRedis();
const RECORD = resolve('test/fixtures/record-action.mjs');

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

function setup(deploySleepMs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'runway-crash-'));
  const log = join(dir, 'actions.log');
  const starts = join(dir, 'starts.log');
  const cmd = (...w: string[]) => JSON.stringify(['node', RECORD, log, ...w]);
  const yaml = `
version: 1
services:
  checkout:
    previous_version: v1.0.0
    approvals: { required: 0 }
    actions:
      deploy: { command: ${cmd('deploy', '{{version}}')}, env: { RECORD_SLEEP_MS: "${deploySleepMs}", RECORD_STARTS: "${starts}" } }
      traffic: { command: ${cmd('traffic', '{{percent}}')} }
      rollback: { command: ${cmd('rollback', '{{previous_version}}')} }
    stages:
      - deploy
      - { traffic: 10, hold: 4s }
      - { traffic: 100 }
`;
  const file = join(dir, 'runway.yml');
  writeFileSync(file, yaml);
  const read = (f: string) =>
    existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').filter(Boolean) : [];
  return { file, yaml, actions: () => read(log), starts: () => read(starts) };
}

async function engineOnly(yaml: string, prefix: string): Promise<Runtime> {
  const { runtime } = await startRunway(redis.url, loadTestRunbook(yaml), { workers: false, prefix });
  cleanup.push(() => runtime.close());
  return runtime;
}

function worker(file: string, prefix: string): WorkerProcess {
  const w = spawnWorker({ REDIS_URL: redis.url, RUNWAY_PREFIX: prefix, RUNWAY_CONFIG: file });
  cleanup.push(() => w.kill('SIGKILL'));
  return w;
}

describe('a worker killed with SIGKILL', () => {
  it('during a hold: another worker finishes the release and the deploy ran exactly once', async () => {
    const prefix = uniquePrefix();
    const s = setup(0);
    const runtime = await engineOnly(s.yaml, prefix);
    const first = worker(s.file, prefix);
    const started = await runtime.engine.start({
      service: 'checkout',
      version: 'v2.0.0',
      requester: 'UALICE',
    });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;
    await waitFor(
      'the 10% hold',
      async () => (await runtime.store.get(id))?.stages[1]?.phase === 'hold',
      30_000,
    );
    await first.kill('SIGKILL');
    worker(s.file, prefix);
    const done = await waitForState(runtime, id, ['completed', 'rolled_back', 'failed'], 45_000);
    expect(done.state).toBe('completed');
    expect(s.actions().map((l) => l.split(' key=')[0])).toEqual([
      'deploy v2.0.0',
      'traffic 10',
      'traffic 100',
    ]);
  }, 90_000);

  it('during the deploy: the cut-off deploy runs again with the same idempotency key', async () => {
    const prefix = uniquePrefix();
    const s = setup(1500);
    const runtime = await engineOnly(s.yaml, prefix);
    const first = worker(s.file, prefix);
    const started = await runtime.engine.start({
      service: 'checkout',
      version: 'v2.0.1',
      requester: 'UALICE',
    });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;
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
  }, 90_000);
});
