// A gate sample arrives: record the reading, schedule the next one, and act on a breach that lasted
// long enough (roll back or pause, as the runbook says).
import type { ReleaseEvent } from './types.ts';
import { describeBreach, describeReading, evaluateSample } from './gates.ts';
import { audit, note, type Draft, type Outcome } from './draft.ts';
import { awaitsGateSample } from './fencing.ts';
import { maybeFinishStage, onFailure, scheduleSample } from './stages.ts';
import { noDataTimeout, syncHoldClock, trackNoData } from './data-wait.ts';
import { formatDuration } from '../config/duration.ts';

export function onGateSampled(d: Draft, e: Extract<ReleaseEvent, { type: 'gateSampled' }>): Outcome {
  const r = d.r;
  const reading = r.gates[e.gate];
  const policy = r.plan.gates[e.gate];
  if (!reading || !policy || !awaitsGateSample(r, e.gate, e.epoch, e.seq)) return 'ignored';
  const verdict = evaluateSample(
    policy,
    reading,
    { value: e.value, ...(e.error ? { error: e.error } : {}) },
    d.now,
  );
  r.gates[e.gate] = verdict.reading;
  d.fx.push({ type: 'updateCard' });
  scheduleSample(d, e.gate, policy.everyMs);
  const data = trackNoData(d, e.gate, policy, reading);
  if (data === 'lost') {
    audit(d, 'gate.waiting_for_data', 'runway', { gate: e.gate, error: e.error });
    note(d, {
      kind: 'waitingForData',
      gate: e.gate,
      timeoutMs: noDataTimeout(policy),
      ...(e.error ? { error: e.error } : {}),
    });
  } else if (data === 'returned') {
    const waitedMs = Math.max(0, d.now.getTime() - Date.parse(reading.noDataSince ?? d.now.toISOString()));
    audit(d, 'gate.data_returned', 'runway', { gate: e.gate, value: e.value, waitedMs });
    note(d, { kind: 'dataReturned', gate: e.gate, waitedMs });
  } else if (data === 'timed_out' && !(r.state === 'paused' && r.plan.onBreach === 'pause')) {
    const reason = `gate ${e.gate}: no data for ${formatDuration(noDataTimeout(policy))} (no_data: wait allows ${formatDuration(noDataTimeout(policy))})`;
    audit(d, 'gate.no_data_timeout', 'runway', { gate: e.gate, reason, error: e.error });
    note(d, {
      kind: 'noDataTimedOut',
      gate: e.gate,
      timeoutMs: noDataTimeout(policy),
      then: r.plan.onBreach,
    });
    onFailure(d, reason);
    return 'applied';
  }
  syncHoldClock(d);
  if (verdict.breachStarted) {
    audit(d, 'gate.breach', 'runway', {
      gate: e.gate,
      value: e.value,
      error: e.error,
      max: policy.max,
      min: policy.min,
    });
    note(d, {
      kind: 'gateBreached',
      gate: e.gate,
      reading: describeReading(policy, verdict.reading),
      forMs: policy.forMs,
      then: r.plan.onBreach,
    });
  } else if (verdict.recovered) {
    audit(d, 'gate.recovered', 'runway', { gate: e.gate, value: e.value });
    note(d, { kind: 'gateRecovered', gate: e.gate, reading: describeReading(policy, verdict.reading) });
  }
  if (verdict.sustained && !(r.state === 'paused' && r.plan.onBreach === 'pause')) {
    const reason = describeBreach(policy, verdict.reading, d.now);
    audit(d, 'gate.sustained_breach', 'runway', { gate: e.gate, reason });
    onFailure(d, reason);
    return 'applied';
  }
  maybeFinishStage(d, false);
  return 'applied';
}
