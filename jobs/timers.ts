// Timer processor. Takes: a runway-timers job — a gate sample or a hold end, delayed until its time.
// Produces: a `gateSampled` or `holdElapsed` event. A stale timer (release moved on) does nothing,
// and a stale gate job does not even query the metrics source.
import type { Job } from 'bullmq';
import type { Logger } from '../src/log.ts';
import type { Engine } from '../src/engine/engine.ts';
import type { RunbookContext } from '../src/engine/runbook-context.ts';
import type { ReleaseStore } from '../src/store/release-store.ts';
import type { Release } from '../src/release/types.ts';
import { sampleGate } from '../src/metrics/sample-gate.ts';
import { templateVars } from '../src/release/machine.ts';
import { timerJobSchema } from '../src/queue/queues.ts';
import { awaitsGateSample } from '../src/release/fencing.ts';

export interface TimerProcessorDeps {
  engine: Engine;
  store: ReleaseStore;
  runbook: () => RunbookContext;
  log: Logger;
  /** After a gate sample was applied (insight: keep it for the chart, chart a breach). */
  onSampled?: (gate: string, before: Release, after: Release) => Promise<void>;
}

export function createTimerProcessor(deps: TimerProcessorDeps) {
  return async (job: Job, _token?: string, signal?: AbortSignal): Promise<string> => {
    const timer = timerJobSchema.parse(job.data);
    if (timer.kind === 'hold') {
      // Fenced by the machine (awaitsHoldEnd) on the stored release.
      await deps.engine.apply(timer.releaseId, {
        type: 'holdElapsed',
        stageIndex: timer.stageIndex,
        epoch: timer.epoch,
        seq: timer.seq,
      });
      return 'hold';
    }
    const release = await deps.store.get(timer.releaseId);
    if (!release || !awaitsGateSample(release, timer.gate, timer.epoch, timer.seq)) return 'stale';
    const config = deps.runbook().gate(release.service, release.environment, timer.gate);
    const sample = config
      ? await sampleGate(config, {
          vars: { ...templateVars(release), percent: release.traffic },
          ...(signal ? { signal } : {}),
        })
      : { value: null, error: `the runbook has no gate "${timer.gate}"` };
    deps.log.debug(
      { releaseId: release.id, jobId: job.id, gate: timer.gate, value: sample.value, error: sample.error },
      'gate sampled',
    );
    const applied = await deps.engine.apply(
      timer.releaseId,
      {
        type: 'gateSampled',
        gate: timer.gate,
        epoch: timer.epoch,
        seq: timer.seq,
        value: sample.value,
        ...(sample.error ? { error: sample.error } : {}),
      },
      release,
    );
    if (applied.ok) await deps.onSampled?.(timer.gate, release, applied.release);
    return 'gate';
  };
}
