// The sampler's shortcut for a steady gate reading (release/steady-reading.ts): instead of deciding
// and saving the whole release, arm the same sample member again and keep the chart point, in one
// batched script fenced on the claim and the release's rev (store/steady-readings.ts). The last
// sample due in each card window still goes through the machine, so the stored reading (what the
// window's card refresh, clicks and other workers read) is that of the window's last sample, as it
// was when every sample was saved; the hold's end, a breach, missing data or any other change to the
// release always go through the machine.
import type { GateReading, Release } from '../src/release/types.ts';
import type { ClaimedSample } from '../src/store/gate-schedule.ts';
import type { SteadyEntry } from '../src/store/steady-readings.ts';
import { steadyReading } from '../src/release/steady-reading.ts';
import { CARD_WINDOW_MS, cardRefreshDueMs, cardWindowEnd, nextTick } from '../src/engine/inline-effects.ts';
import { sampleRow } from '../src/insight/samples.ts';

export interface SteadyClock {
  /** The engine's clock now (readings and card windows are on it). */
  now: Date;
  /** The wall clock now (due times and leases are on it). */
  wallMs: number;
  /** The pump's lease: a claim older than a quarter of it may be renewed under us; it decides instead. */
  leaseMs: number;
}

/**
 * The steady write of this sample and the reading it keeps, or null when the machine decides on it
 * (not steady, the last due in its card window, or a claim held long).
 */
export function steadyWrite(
  { now, wallMs, leaseMs }: SteadyClock,
  release: Release,
  c: ClaimedSample,
  sample: { value: number | null; error?: string },
): { entry: SteadyEntry; reading: GateReading } | null {
  const policy = release.plan.gates[c.gate];
  if (!policy || wallMs - (c.leaseEndMs - leaseMs) > leaseMs / 4) return null;
  const reading = steadyReading(release, { gate: c.gate, epoch: c.epoch, seq: c.seq, ...sample }, now);
  if (!reading) return null;
  const nextDueMs = nextTick(c.dueMs, policy.everyMs, wallMs);
  const clockMs = now.getTime();
  // The last sample due in a card window (by due time, so a late one cannot skip it) saves the
  // release for the window's refresh; so does any sample once a window passed without a save.
  const onClock = (ms: number) => cardWindowEnd(clockMs + (ms - wallMs));
  if (onClock(nextDueMs) !== onClock(c.dueMs)) return null;
  if (clockMs - Date.parse(release.updatedAt) >= CARD_WINDOW_MS) return null;
  const entry: SteadyEntry = {
    releaseId: release.id,
    rev: release.rev,
    member: c.member,
    leaseEndMs: c.leaseEndMs,
    nextDueMs,
    sample: sampleRow({
      gate: c.gate,
      at: reading.at,
      value: reading.value,
      verdict: reading.verdict,
      stageIndex: release.stageIndex,
      traffic: release.traffic,
    }),
    samples: reading.samples,
    cardDueMs: cardRefreshDueMs(clockMs, wallMs),
  };
  return { entry, reading };
}
