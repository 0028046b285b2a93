// A minimal valid release for store tests; the store treats the plan as opaque data.
import { randomUUID } from 'node:crypto';
import type { Release } from '../../../src/release/types.ts';

export function makeRelease(overrides: Partial<Release> = {}): Release {
  const at = '2025-03-04T10:00:00.000Z';
  return {
    id: `rel-${randomUUID().slice(0, 8)}`,
    rev: 1,
    epoch: 0,
    kind: 'release',
    service: 'checkout',
    environment: 'production',
    version: 'v1.2.3',
    previousVersion: 'v1.2.2',
    requester: 'U123',
    dryRun: false,
    createdAt: at,
    updatedAt: at,
    state: 'preflight',
    plan: {
      stages: [{ kind: 'deploy', action: 'deploy', gates: [] }],
      preflight: [],
      gates: {},
      approvals: { required: 1, approvers: [], operators: [], allowSelfApproval: false },
      onBreach: 'rollback',
      rollbackIncident: 'none',
      verifyRollback: false,
      actions: ['deploy'],
      actionSummaries: { deploy: './deploy.sh' },
    },
    preflight: [],
    approvals: [],
    stageIndex: -1,
    stages: [],
    traffic: 0,
    gates: {},
    ...overrides,
  };
}

/** The next revision of a release, as the engine would save it. */
export function next(release: Release, changes: Partial<Release> = {}): Release {
  return { ...release, ...changes, rev: release.rev + 1 };
}
