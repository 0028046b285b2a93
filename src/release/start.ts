// Starting: a new release (pre-flight starts at once; a dry run walks the plan and ends), or the
// rollback of a release that already finished.
import type { Decision, Release, ReleasePlan } from './types.ts';
import { audit, done, note, type Draft } from './draft.ts';
import { enterApprovalIfReady, runPreflightCheck } from './preflight.ts';
import { beginRollback, type WalkBackOver } from './rollback.ts';
import { walkDryRun } from './dry-run.ts';

export interface StartInput {
  id: string;
  service: string;
  environment: string;
  version: string;
  previousVersion: string | null;
  requester: string;
  notes?: string;
  hotfix?: { reason: string };
  dryRun: boolean;
  plan: ReleasePlan;
  /** Policy overrides granted by --hotfix, to audit. */
  overrides?: string[];
  /** Things a dry run reports (a real start would have been refused because…). */
  dryRunNotes?: string[];
}

function newRelease(input: StartInput, now: Date, kind: Release['kind']): Release {
  const at = now.toISOString();
  return {
    id: input.id,
    rev: 0,
    epoch: 1,
    kind,
    service: input.service,
    environment: input.environment,
    version: input.version,
    previousVersion: input.previousVersion,
    requester: input.requester,
    ...(input.notes ? { notes: input.notes } : {}),
    ...(input.hotfix ? { hotfix: input.hotfix } : {}),
    dryRun: input.dryRun,
    createdAt: at,
    updatedAt: at,
    state: 'preflight',
    plan: input.plan,
    preflight: input.plan.preflight.map((item) => ({ ...item, status: 'pending', attempt: 0 })),
    approvals: [],
    stageIndex: -1,
    stages: input.plan.stages.map(() => ({ status: 'waiting', attempt: 0, holdSeq: 0 })),
    traffic: 0,
    gates: {},
  };
}

/** A new release: pre-flight starts at once; a dry run walks the whole plan and ends. */
export function startRelease(input: StartInput, now: Date): Decision {
  const d: Draft = { r: newRelease(input, now, 'release'), fx: [], now };
  audit(d, 'release.started', input.requester, {
    version: input.version,
    previousVersion: input.previousVersion,
    dryRun: input.dryRun,
    ...(input.hotfix ? { hotfix: input.hotfix.reason } : {}),
    ...(input.notes ? { notes: input.notes } : {}),
  });
  for (const override of input.overrides ?? []) {
    audit(d, 'policy.override', input.requester, { override, reason: input.hotfix?.reason });
  }
  d.fx.push({ type: 'updateCard' });
  if (input.dryRun) {
    walkDryRun(d, input.dryRunNotes ?? []);
    return done(d);
  }
  note(d, {
    kind: 'releaseStarted',
    requester: input.requester,
    service: input.service,
    version: input.version,
    environment: input.environment,
    ...(input.hotfix ? { hotfixReason: input.hotfix.reason } : {}),
  });
  for (const item of d.r.preflight) {
    if (!item.manual) runPreflightCheck(d, item.id);
  }
  enterApprovalIfReady(d);
  return done(d);
}

/** Rolling back a release that already finished: a release of kind 'rollback' that only rolls back. */
export function startRollbackRelease(
  input: Omit<StartInput, 'dryRun' | 'hotfix'> & { reason: string; automatic?: boolean; over?: WalkBackOver },
  now: Date,
): Decision {
  const d: Draft = { r: newRelease({ ...input, dryRun: false }, now, 'rollback'), fx: [], now };
  d.r.preflight = [];
  d.r.stages = [];
  audit(d, 'release.rollback_requested', input.requester, {
    from: input.version,
    to: input.previousVersion,
    reason: input.reason,
  });
  d.fx.push({ type: 'updateCard' });
  beginRollback(d, {
    by: input.requester,
    reason: input.reason,
    automatic: input.automatic ?? false,
    // The finished release's stages as they ran then; their undo actions run from today's runbook.
    over: input.over ?? { stages: [], started: [] },
  });
  return done(d);
}
