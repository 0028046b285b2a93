// Releases in a given state for view tests: the canary plan of test/helpers/plan.ts, started by the
// real machine, then set by hand to the state a test needs (views only read the release).
import { startRelease, startRollbackRelease } from '../../../src/release/machine.ts';
import type { GateReading, PlannedStage, Release, ReleasePlan } from '../../../src/release/types.ts';
import { gate, makePlan } from '../../helpers/plan.ts';

export const NOW = new Date('2026-11-24T18:00:00Z');
export const MIN = 60_000;
export const at = (offsetMs: number): string => new Date(NOW.getTime() + offsetMs).toISOString();

export function newRelease(plan: ReleasePlan = makePlan(), over: Partial<Release> = {}): Release {
  const { release } = startRelease(
    {
      id: 'checkout-production-1',
      service: 'checkout',
      environment: 'production',
      version: 'v1.2.3',
      previousVersion: 'v1.2.2',
      requester: 'UALICE',
      dryRun: false,
      plan,
    },
    new Date(NOW.getTime() - 10 * MIN),
  );
  return { ...release, ...over };
}

/** A rollback release of a finished checkout v1.2.3 back to v1.2.2, as bob asked for it. */
export function rollbackRelease(): Release {
  const { release } = startRollbackRelease(
    {
      id: 'checkout-production-2',
      service: 'checkout',
      environment: 'production',
      version: 'v1.2.3',
      previousVersion: 'v1.2.2',
      requester: 'UBOB',
      plan: makePlan(),
      reason: 'customers report errors',
    },
    NOW,
  );
  return release;
}

/** Running stage `index` (0-based) in the given phase; earlier stages done. */
export function running(index: number, phase: 'action' | 'hold' | 'approval', plan?: ReleasePlan): Release {
  const r = newRelease(plan);
  r.state = 'running';
  r.preflight = r.preflight.map((p) => ({ ...p, status: 'passed' }));
  r.approvals = [
    { user: 'UBOB', at: at(-9 * MIN) },
    { user: 'UCAROL', at: at(-8 * MIN) },
  ];
  r.stageIndex = index;
  r.stages = r.stages.map((s, i) =>
    i < index
      ? { ...s, status: 'done', attempt: 1, startedAt: at(-10 * MIN + i * 10_000) }
      : i === index
        ? { ...s, status: 'running', phase, attempt: 1, startedAt: at(-10 * MIN + i * 10_000) }
        : s,
  );
  return r;
}

export function reading(over: Partial<GateReading> = {}): GateReading {
  return { value: 0.0012, verdict: 'ok', at: NOW.toISOString(), samples: 3, seq: 3, ...over };
}

/** The worst a runbook can make it: 30 stages, 10 gates, 15 pre-flight items, long texts everywhere. */
export function hugePlan(): ReleasePlan {
  const gates = Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [
      `gate_${i}_${'x'.repeat(40)}`,
      gate(`gate_${i}_${'x'.repeat(40)}`, { min: 0.001 }),
    ]),
  );
  const names = Object.keys(gates);
  const stages: PlannedStage[] = Array.from({ length: 30 }, (_, i) =>
    i % 3 === 0
      ? { kind: 'approval', question: `Is step ${i} fine? ${'Really? '.repeat(30)}`, gates: [] }
      : { kind: 'traffic', percent: i + 1, holdMs: 30 * MIN, gates: names, action: 'traffic' },
  );
  return makePlan({
    stages,
    gates,
    preflight: Array.from({ length: 15 }, (_, i) => ({
      id: `item-${i}`,
      title: `Pre-flight item ${i}: ${'a very long title '.repeat(10)}`,
      manual: i >= 3,
      required: i % 2 === 0,
    })),
    actionSummaries: {
      ...makePlan().actionSummaries,
      rollback: `./ops/rollback.sh {{previous_version}} ${'--flag '.repeat(100)}`,
    },
  });
}

export function hugeRelease(): Release {
  const plan = hugePlan();
  const r = running(14, 'hold', plan);
  r.notes = `${'Ship it <!channel> & '.repeat(48)}`.slice(0, 1000);
  r.hotfix = { reason: 'r'.repeat(500) };
  r.preflight = r.preflight.map((p, i) => ({
    ...p,
    status: i % 2 ? 'passed' : 'failed',
    detail: { summary: 'exit 1', tail: 'output line\n'.repeat(200) },
  }));
  r.gates = Object.fromEntries(
    Object.keys(plan.gates).map((g) => [
      g,
      reading({ value: 0.052, verdict: 'breach', breachSince: at(-2 * MIN), error: 'e'.repeat(400) }),
    ]),
  );
  r.stages = r.stages.map((s, i) =>
    i < 14 ? { ...s, detail: { summary: 'ok', tail: 'x'.repeat(3000) } } : s,
  );
  r.stages[14] = { ...r.stages[14]!, holdEndsAt: at(12 * MIN) };
  return r;
}
