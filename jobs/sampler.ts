// Gate sampler. Takes: due gate samples from the gate schedule (a due set), a batch per tick, claimed
// atomically with a lease (jobs/due-pump.ts). Produces: a `gateSampled` event per sample, through the
// engine as before (fenced: a stale sample does not even query its source).
import type { Logger } from '../src/log.ts';
import type { Engine } from '../src/engine/engine.ts';
import type { RunbookContext } from '../src/engine/runbook-context.ts';
import type { ReleaseStore } from '../src/store/release-store.ts';
import type { ClaimedSample, GateSchedule } from '../src/store/gate-schedule.ts';
import { sampleGate } from '../src/metrics/sample-gate.ts';
import { templateVars } from '../src/release/machine.ts';
import { awaitsGateSample } from '../src/release/fencing.ts';
import { DEFAULT_LEASE_MS, DuePump, type PumpTuning } from './due-pump.ts';
import { steadyWrite } from './steady-sample.ts';
import { SameTurn } from './same-turn.ts';
import { SavedReleases } from './saved-releases.ts';

export type SamplerTuning = PumpTuning;

export interface SamplerDeps {
  engine: Engine;
  store: ReleaseStore;
  gates: GateSchedule;
  runbook: () => RunbookContext;
  log: Logger;
  /** How late each applied sample was taken (ms after due), for metrics and benches. */
  onApplied?: (latenessMs: number) => void;
}

/**
 * Samples in hand at most: each waits mostly on its HTTP answer, so thousands of releases sampled
 * every second need hundreds in flight.
 */
const SAMPLER_BATCH = 500;

export function createGateSampler(deps: SamplerDeps, tuning: SamplerTuning = {}): DuePump<ClaimedSample> {
  const turn = new SameTurn();
  const saved = new SavedReleases();
  const leaseMs = tuning.leaseMs ?? DEFAULT_LEASE_MS;
  return new DuePump('gate sampler', deps.gates, (c) => sampleOne(deps, turn, saved, c, leaseMs), deps.log, {
    batch: SAMPLER_BATCH,
    ...tuning,
  });
}

/**
 * True once handled (applied, or stale); 'left' when kept as a steady reading (the same member armed
 * again) or taken over; an error leaves it to its lease (a failed apply retries).
 */
async function sampleOne(
  deps: SamplerDeps,
  turn: SameTurn,
  saved: SavedReleases,
  c: ClaimedSample,
  leaseMs: number,
): Promise<boolean | 'left'> {
  const { engine, store, runbook, log } = deps;
  const lateMs = Math.max(0, Date.now() - c.dueMs);
  const release = saved.get(c.releaseId, c.rev) ?? (await store.get(c.releaseId));
  if (!release || !awaitsGateSample(release, c.gate, c.epoch, c.seq)) {
    saved.forget(c.releaseId);
    return true;
  }
  const config = runbook().gate(release.service, release.environment, c.gate);
  const sample = config
    ? await sampleGate(config, { vars: { ...templateVars(release), percent: release.traffic } })
    : { value: null, error: `the runbook has no gate "${c.gate}"` };
  log.debug(
    { releaseId: release.id, gate: c.gate, value: sample.value, error: sample.error },
    'gate sampled',
  );
  const event = {
    type: 'gateSampled' as const,
    gate: c.gate,
    epoch: c.epoch,
    seq: c.seq,
    value: sample.value,
    ...(sample.error ? { error: sample.error } : {}),
  };
  const steady = config
    ? steadyWrite({ now: engine.now(), wallMs: Date.now(), leaseMs }, release, c, sample)
    : null;
  if (steady) {
    // Steady readings answered within a few ms go to Redis in one script call, as saves do.
    const status = await turn.run(() => deps.gates.keepSteady(steady.entry));
    if (status === 'kept') {
      engine.observe(release, saved.keepReading(release, c.gate, steady.reading), event);
      deps.onApplied?.(lateMs);
      return 'left';
    }
    if (status === 'not_ours') {
      saved.forget(c.releaseId);
      return 'left';
    }
  }
  // Decided on the stored release when the steady write found it changed.
  const known = steady ? undefined : release;
  // The saves of samples answered together go to Redis together; the next sample keeps the cadence.
  const result = await turn.run(() =>
    engine.apply(c.releaseId, event, known, { gate: c.gate, dueMs: c.dueMs, member: c.member }),
  );
  // Kept while it may still be sampled; the claim's rev tells whether it is still the stored one.
  if (result.ok && ['running', 'paused'].includes(result.release.state)) saved.keep(result.release);
  else saved.forget(c.releaseId);
  // The next sample, the chart point and the card's refresh are written by the same save.
  deps.onApplied?.(lateMs);
  return true;
}
