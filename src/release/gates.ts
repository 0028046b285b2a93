// Gate verdicts: one sample against a gate's thresholds and its breach history. Pure; `now` is passed in.
import type { GatePolicy, GateReading } from './types.ts';
import { formatDuration } from '../config/duration.ts';

export interface GateVerdict {
  reading: GateReading;
  /** The sample counts as a breach (out of bounds, or no data with no_data: breach). */
  breaching: boolean;
  /** This sample started a breach. */
  breachStarted: boolean;
  /** The breach has lasted `for`: on_breach must fire. */
  sustained: boolean;
  /** The previous sample was a breach and this one is not. */
  recovered: boolean;
}

export function evaluateSample(
  policy: GatePolicy,
  previous: GateReading | undefined,
  sample: { value: number | null; error?: string },
  now: Date,
): GateVerdict {
  const value = sample.value !== null && Number.isFinite(sample.value) ? sample.value : null;
  const outOfBounds =
    value !== null &&
    ((policy.max !== undefined && value > policy.max) || (policy.min !== undefined && value < policy.min));
  const verdict: GateReading['verdict'] = value === null ? 'no_data' : outOfBounds ? 'breach' : 'ok';
  const breaching = verdict === 'breach' || (verdict === 'no_data' && policy.noData === 'breach');
  const wasBreaching = previous?.breachSince !== undefined;
  // `no_data: wait` and `ignore`: a sample without data says nothing about a breach under way. It
  // neither ends it (no "back within bounds" for no data, `for` keeps counting) nor fires it; with
  // `wait` the no-data timeout governs the gap.
  const waiting = verdict === 'no_data' && policy.noData !== 'breach';
  const breachSince = breaching
    ? (previous?.breachSince ?? now.toISOString())
    : waiting
      ? previous?.breachSince
      : undefined;
  const sustained = breaching && now.getTime() - Date.parse(breachSince ?? now.toISOString()) >= policy.forMs;
  const reading: GateReading = {
    value,
    verdict,
    at: now.toISOString(),
    samples: (previous?.samples ?? 0) + 1,
    seq: previous?.seq ?? 0,
    ...(breachSince ? { breachSince } : {}),
    ...(sample.error && value === null ? { error: sample.error } : {}),
  };
  return {
    reading,
    breaching,
    breachStarted: breaching && !wasBreaching,
    sustained,
    recovered: wasBreaching && !breaching && !waiting,
  };
}

/** True when the reading blocks the end of a hold. */
export function isBlocking(policy: GatePolicy, reading: GateReading | undefined): boolean {
  if (!reading || reading.samples === 0) return true;
  // No data blocks unless the runbook said to ignore it (`wait` holds the stage until data comes);
  // ignored no data in the middle of a breach does not end the breach, so it still blocks.
  return (
    reading.verdict === 'breach' ||
    (reading.verdict === 'no_data' && (policy.noData !== 'ignore' || reading.breachSince !== undefined))
  );
}

/** "0.052 > max 0.005" / "no data (Prometheus unreachable)". */
export function describeReading(policy: GatePolicy, reading: GateReading): string {
  // Sources may word their reason as "no data: …"; say "no data" once.
  const why = reading.error?.replace(/^no data:\s*/i, '');
  if (reading.value === null) return `no data${why ? ` (${why})` : ''}`;
  const v = formatNumber(reading.value);
  if (policy.max !== undefined && reading.value > policy.max) return `${v} > max ${formatNumber(policy.max)}`;
  if (policy.min !== undefined && reading.value < policy.min) return `${v} < min ${formatNumber(policy.min)}`;
  const bounds = [
    policy.min !== undefined ? `min ${formatNumber(policy.min)}` : null,
    policy.max !== undefined ? `max ${formatNumber(policy.max)}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return `${v} (within ${bounds})`;
}

/** The sentence a rollback or pause gives as its reason. */
export function describeBreach(policy: GatePolicy, reading: GateReading, now: Date): string {
  const since = reading.breachSince ? Date.parse(reading.breachSince) : now.getTime();
  return `gate ${policy.name}: ${describeReading(policy, reading)} for ${formatDuration(
    Math.max(0, now.getTime() - since),
  )} (allowed ${formatDuration(policy.forMs)})`;
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const abs = Math.abs(n);
  return abs >= 100
    ? n.toFixed(1)
    : abs >= 1
      ? n.toFixed(3).replace(/0+$/, '')
      : Number(n.toPrecision(3)).toString();
}
