// The card's gate readings: each gate against its thresholds, the breach that ended the release
// marked failed, and on a card that ended the readings as they were when the gates stopped counting.
import type { SectionBlock } from '@slack/types';
import type { GatePolicy, GateReading, Release } from '../../release/types.ts';
import { formatNumber } from '../../release/gates.ts';
import { formatDuration } from '../../config/duration.ts';
import { escapeMrkdwn, truncate } from '../blockkit.ts';
import { lineSections } from './blocks.ts';
import { waitingGateLine } from './data-wait-text.ts';

export function gatesBlocks(r: Release, now: Date): SectionBlock[] {
  const current = r.plan.stages[r.stageIndex]?.gates ?? [];
  const names = Object.keys(r.plan.gates).filter((g) => r.gates[g] !== undefined || current.includes(g));
  if (names.length === 0) return [];
  const final = !['running', 'paused'].includes(r.state);
  // Once the release stopped watching, the readings are as they were then: a final card never ticks.
  const asOf = final ? stoppedWatching(r, now) : now;
  const lines = names.map((g) =>
    gateLine(r.plan.gates[g]!, r.gates[g], asOf, causedTheEnd(r, g) ? 'failed' : 'live'),
  );
  return lineSections(final ? '*Gates* (last readings)' : '*Gates*', lines, 'card-gates', 400);
}

/** "0.0012 (max 0.005)" — the thresholds, as the runbook set them. */
export function thresholds(policy: GatePolicy): string {
  return [
    policy.min !== undefined ? `min ${formatNumber(policy.min)}` : null,
    policy.max !== undefined ? `max ${formatNumber(policy.max)}` : null,
  ]
    .filter(Boolean)
    .join(', ');
}

/** When gates stopped counting: the rollback's start, else the end of the release (else now). */
function stoppedWatching(r: Release, now: Date): Date {
  const at = r.rollback?.at ?? r.endedAt;
  return at ? new Date(Math.min(Date.parse(at), now.getTime())) : now;
}

/** Whether this gate's breach is what failed the stage that ended the release (rollback or pause). */
function causedTheEnd(r: Release, gate: string): boolean {
  return r.stages.some((s) => s.status === 'failed' && s.detail?.startsWith(`gate ${gate}:`) === true);
}

/** "no data: the query returned an empty vector" says "no data" once, not twice. */
function noDataWhy(error: string | undefined): string {
  const why = error?.replace(/^no data:\s*/i, '').trim();
  return why ? ` (${truncate(escapeMrkdwn(why), 200)})` : '';
}

/**
 * `*error_rate* 0.0012 (within max 0.005) ✅`, `*error_rate* 0.052 > max 0.005 for 2m (allowed 5m) ⚠️
 * breaching`, or with `failed` (its breach ended the release) `… ❌ failed`.
 */
export function gateLine(
  policy: GatePolicy,
  reading: GateReading | undefined,
  now: Date,
  verdict: 'live' | 'failed' = 'live',
): string {
  const name = `*${escapeMrkdwn(policy.name)}*`;
  const bounds = thresholds(policy);
  if (!reading || (reading.value === null && reading.samples === 0 && !reading.breachSince)) {
    return `${name} waiting for the first sample (${bounds}) ⏳`;
  }
  const lasted = reading.breachSince
    ? ` for ${formatDuration(Math.max(0, now.getTime() - Date.parse(reading.breachSince)))} (allowed ${formatDuration(policy.forMs)})`
    : '';
  const bad = verdict === 'failed' ? '❌ failed' : '⚠️ breaching';
  if (reading.value === null) {
    const why = noDataWhy(reading.error);
    if (policy.noData === 'wait') return waitingGateLine(name, why, bounds, policy, reading, now);
    return policy.noData === 'ignore'
      ? `${name} no data${why}, ignored (${bounds}) ➖`
      : `${name} no data${why}${lasted} ${bad}`;
  }
  const v = formatNumber(reading.value);
  if (policy.max !== undefined && reading.value > policy.max)
    return `${name} ${v} > max ${formatNumber(policy.max)}${lasted} ${bad}`;
  if (policy.min !== undefined && reading.value < policy.min)
    return `${name} ${v} < min ${formatNumber(policy.min)}${lasted} ${bad}`;
  return `${name} ${v} (within ${bounds}) ✅`;
}
