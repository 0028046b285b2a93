// Issue 12: the walk back survives a worker SIGKILLed between two undo steps. The flag-off undo has
// finished; the next undo (the deploy's `rollback`) is held before it does anything, and then the
// worker and that command's process group are SIGKILLed, as a lost machine would be. A new worker
// process takes the walk over: no undo runs twice, and the cut-off one runs with the same key.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { loadTestRunbook, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';
import { spawnWorker, type WorkerProcess } from '../../helpers/worker-process.ts';
import { LD_TOKEN, WALK, walkBackFixture } from '../../helpers/walk-back-fixture.ts';

const redis = useRedis();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function worker(file: string, prefix: string): WorkerProcess {
  const w = spawnWorker({ REDIS_URL: redis.url, RUNWAY_PREFIX: prefix, RUNWAY_CONFIG: file, LD_TOKEN });
  cleanup.push(() => w.kill('SIGKILL'));
  return w;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

describe('a worker SIGKILLed between two undo steps', () => {
  it('a new worker finishes the walk: each action once, in order, and the release rolled back', async () => {
    const prefix = uniquePrefix();
    const f = await walkBackFixture({ holdRollback: true });
    cleanup.push(() => f.close());
    const { runtime } = await startRunway(redis.url, loadTestRunbook(f.yaml, { LD_TOKEN }), {
      workers: false,
      prefix,
    });
    cleanup.push(() => runtime.close());
    const first = worker(f.file, prefix);
    const started = await runtime.engine.start({
      service: 'checkout',
      version: 'v1.3.0',
      requester: 'UALICE',
    });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;

    // Generous: a child worker starting under a busy suite on 2 cores can take a minute.
    const [held] = await waitFor(
      'the rollback undo to start',
      async () => f.rollbackStarts()[0],
      150_000,
    ).catch(async (err: unknown) => {
      // Say where it stood: the worker's own words, the actions run and the release's state.
      const at = await runtime.store.get(id);
      throw new Error(
        `${String(err)}\nactions: ${JSON.stringify(f.actions())}\nstate: ${at?.state} stages: ${JSON.stringify(
          at?.stages.map((s) => `${s.status}`),
        )}\nworker output:\n${first.output().slice(-4000)}`,
      );
    });
    cleanup.push(async () => killGroup(held));
    // One undo (flag off) ran and is recorded done; the next has not done anything yet.
    expect(f.actions()).toEqual(WALK.slice(0, 8));
    const mid = await runtime.store.get(id);
    expect(mid?.rollback?.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'traffic:done',
      'undo-s3:done',
      'rollback:running',
      'undo-s1:waiting',
    ]);
    await first.kill('SIGKILL');
    killGroup(held);
    f.releaseRollback();
    worker(f.file, prefix);

    const end = await waitForState(runtime, id, ['rolled_back', 'failed', 'completed'], 120_000);
    expect(f.actions()).toEqual(WALK);
    expect(end.state).toBe('rolled_back');
    expect(end.rollback?.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'traffic:done',
      'undo-s3:done',
      'rollback:done',
      'undo-s1:done',
    ]);
    // The cut-off undo ran again with its own idempotency key, so the target can see the repeat.
    expect(f.rollbackStarts().map(([, line]) => line)).toEqual([
      `rollback v1.2.2 key=${id}-rb-rollback`,
      `rollback v1.2.2 key=${id}-rb-rollback`,
    ]);
  }, 300_000);
});
