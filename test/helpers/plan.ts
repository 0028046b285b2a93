// Builders for release plans in unit tests: the canary plan of SPEC section 5, made small.
import type { GatePolicy, PlannedStage, ReleasePlan } from '../../src/release/types.ts';

export function gate(name: string, over: Partial<GatePolicy> = {}): GatePolicy {
  return {
    name,
    max: 0.005,
    forMs: 5 * 60_000,
    everyMs: 30_000,
    noData: 'breach',
    source: 'error rate',
    ...over,
  };
}

export const canaryStages: PlannedStage[] = [
  { kind: 'deploy', action: 'deploy', gates: [] },
  { kind: 'traffic', percent: 10, holdMs: 30 * 60_000, gates: ['error_rate'], action: 'traffic' },
  { kind: 'traffic', percent: 50, holdMs: 60 * 60_000, gates: ['error_rate'], action: 'traffic' },
  { kind: 'approval', question: 'Promote to 100%?', gates: [] },
  { kind: 'traffic', percent: 100, holdMs: 0, gates: [], action: 'traffic' },
  { kind: 'smoke', action: 'smoke', gates: [] },
  { kind: 'bake', holdMs: 30 * 60_000, gates: ['error_rate'] },
];

export function makePlan(over: Partial<ReleasePlan> = {}): ReleasePlan {
  return {
    stages: canaryStages,
    preflight: [
      { id: 'ci', title: 'All CI checks passing', manual: false, required: true },
      { id: 'backup', title: 'Database backup completed', manual: true, required: true },
    ],
    gates: { error_rate: gate('error_rate') },
    approvals: {
      required: 2,
      approvers: ['UBOB', 'UCAROL', 'SSRE'],
      operators: ['UOPS'],
      allowSelfApproval: false,
    },
    onBreach: 'rollback',
    rollbackIncident: 'sev2',
    verifyRollback: false,
    actions: ['deploy', 'traffic', 'smoke', 'rollback', 'preflight:ci'],
    actionSummaries: {
      deploy: './ops/deploy.sh {{version}}',
      traffic: 'POST https://deploy.example.com/traffic',
      smoke: 'GET https://api.example.com/health → 200',
      rollback: './ops/rollback.sh {{previous_version}}',
      'preflight:ci': 'GET https://ci.example.com/status/{{version}} → 200',
    },
    ...over,
  };
}
