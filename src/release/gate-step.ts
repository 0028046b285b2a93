// A gate sample arrives: record the reading, schedule the next one, and act on a breach that lasted
// long enough (roll back or pause, as the runbook says).
import type { ReleaseEvent } from './types.ts';
import { describeBreach, describeReading, evaluateSample } from './gates.ts';
import { audit, note, type Draft, type Outcome } from './draft.ts';
import { awaitsGateSample } from './fencing.ts';
import { maybeFinishStage, onFailure, scheduleSample } from './stages.ts';

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
