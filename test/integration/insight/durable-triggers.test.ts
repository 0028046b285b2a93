// The chart point and the breach chart are written with the decision: a process that saves the gate
// sample that starts a rollback and dies before dispatching it loses neither; the save itself kept the
// sample, and another process's sweep queues the chart job, once however often it sweeps. Real Redis and BullMQ queues;
// the events are applied by hand so the crash falls exactly between the save and the dispatch.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { loadTestRunbook, memoryLogger, startRunway } from '../../helpers/runway.ts';
import { Engine } from '../../../src/engine/engine.ts';
import type { Dispatcher } from '../../../src/engine/dispatcher.ts';
import type { Runtime } from '../../../src/runtime.ts';
import type { Release } from '../../../src/release/types.ts';

const redis = useRedis();
const running: Runtime[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

const YAML = `
version: 1
services:
  checkout:
    previous_version: v1.0.0
    environments:
      production:
        approvals: { required: 0 }
        actions:
          deploy: { command: ["node", "-e", "0"] }
          traffic: { command: ["node", "-e", "0"] }
          rollback: { command: ["node", "-e", "0"] }
        gates:
          error_rate:
            prometheus: { url: "http://127.0.0.1:9", query: "up" }
            max: 0.005
            for: 0s
            every: 1s
        stages:
          - deploy
          - { traffic: 10, hold: 10m, gates: [error_rate] }
        rollback_incident: none
`;

/** A dispatcher in a process that dies right after the save: nothing of the batch is carried out. */
const dying = {
  flush: async () => {
    throw new Error('process killed');
  },
} as unknown as Dispatcher;

async function finishStage(runtime: Runtime, r: Release): Promise<Release> {
  const applied = await runtime.engine.apply(r.id, {
    type: 'actionFinished',
    stageIndex: r.stageIndex,
    attempt: r.stages[r.stageIndex]!.attempt,
    epoch: r.epoch,
    ok: true,
  });
  if (!applied.ok) throw new Error(applied.reason);
  return applied.release;
}

describe('insight work survives a crash between the save and the dispatch', () => {
  it('keeps the breach sample and queues the breach chart once, from the outbox', async () => {
    const runbook = loadTestRunbook(YAML);
    const { runtime } = await startRunway(redis.url, runbook, { workers: false });
    running.push(runtime);
    const started = await runtime.engine.start({
      service: 'checkout',
      version: 'v1.1.0',
      requester: 'UALICE',
    });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;
    let r = (await runtime.store.get(id))!;
    expect(r.state).toBe('running');
    r = await finishStage(runtime, r); // deploy
    r = await finishStage(runtime, r); // traffic 10%: the hold starts, the gate is sampled
    const reading = r.gates.error_rate!;
    expect(r.stages[1]?.phase).toBe('hold');

    const crashed = new Engine({
      store: runtime.store,
      audit: runtime.audit,
      runbook: () => runbook,
      dispatcher: dying,
      log: memoryLogger().log,
    });
    await expect(
      crashed.apply(id, {
        type: 'gateSampled',
        gate: 'error_rate',
        epoch: r.epoch,
        seq: reading.seq,
        value: 0.2,
      }),
    ).rejects.toThrow('process killed');
    const saved = (await runtime.store.get(id))!;
    expect(saved.state).toBe('rolling_back');
    const breachSample = {
      gate: 'error_rate',
      at: saved.gates.error_rate!.at,
      value: 0.2,
      verdict: 'breach',
      stageIndex: 1,
      traffic: 10,
    };
    // The sample was kept by the save itself (store/inline-writes.ts); the chart job waits in the outbox.
    expect(await runtime.insight.samples.list(id)).toEqual([breachSample]);
    const breach = `e${r.epoch}-error_rate-${reading.seq}`;
    const chartJobId = `${id}-insight-chart-breach-${breach}`;
    expect(await runtime.queues.insight.getJob(chartJobId)).toBeUndefined();

    // Another process sweeps the outbox (twice: a repeat adds nothing).
    await runtime.dispatcher.sweep();
    await runtime.dispatcher.sweep();
    expect(await runtime.insight.samples.list(id)).toEqual([breachSample]);
    const job = await runtime.queues.insight.getJob(chartJobId);
    expect(job?.data).toEqual({ kind: 'chart', releaseId: id, why: 'breach', breach });
    const queued = await runtime.queues.insight.getJobs([
      'waiting',
      'delayed',
      'active',
      'completed',
      'failed',
    ]);
    expect(queued.filter((j) => j.data.kind === 'chart')).toHaveLength(1);
    // The changelog job asked for at the start was written with the release too.
    expect((await runtime.queues.insight.getJob(`${id}-insight-changelog`))?.data).toEqual({
      kind: 'changelog',
      releaseId: id,
    });
  });

  it('asks for the changelog of a release whose creator died before dispatching its first batch', async () => {
    const runbook = loadTestRunbook(YAML);
    const { runtime } = await startRunway(redis.url, runbook, { workers: false });
    running.push(runtime);
    const crashed = new Engine({
      store: runtime.store,
      audit: runtime.audit,
      runbook: () => runbook,
      dispatcher: dying,
      log: memoryLogger().log,
    });
    await expect(
      crashed.start({ service: 'checkout', version: 'v1.1.0', requester: 'UALICE' }),
    ).rejects.toThrow('process killed');
    const [id] = await runtime.store.pendingOutbox();
    expect(id).toBeDefined();
    await runtime.dispatcher.sweep();
    expect((await runtime.queues.insight.getJob(`${id}-insight-changelog`))?.data).toEqual({
      kind: 'changelog',
      releaseId: id,
    });
  });
});
