// The release as data: its plan (taken from the runbook when it starts), its state, the events that
// move it and the effects it asks for. The pure machine (machine.ts) is the only code that changes it.
import type { Refusal as CodedRefusal } from '../errors.ts';
import type { ThreadNote } from './notes.ts';
import type { ActionEnd, ActionOutput } from './action-output.ts';
export type { ActionEnd, ActionExit, ActionOutput } from './action-output.ts';

export type Severity = 'sev1' | 'sev2' | 'sev3' | 'sev4';

/** A gate's policy as the machine needs it: thresholds and timing, never URLs or secrets. */
export interface GatePolicy {
  name: string;
  min?: number;
  max?: number;
  forMs: number;
  everyMs: number;
  noData: 'breach' | 'ignore' | 'wait';
  /** `no_data: wait`: how long no data may last before it is a breach (default 10m). */
  noDataTimeoutMs?: number;
  /** Human description of the source, e.g. the Prometheus query; shown on the card. */
  source: string;
}

/** Issue 12: any stage may carry a name (shown instead of the generated label) and an undo action. */
export interface StageNaming {
  name?: string;
  undo?: string;
  /** The named undo is a flag action: it runs as that flag off, never on (a rollback is a kill switch). */
  undoFlagOff?: true;
}

export type PlannedStage = StageNaming &
  (
    | { kind: 'deploy'; action: 'deploy'; gates: string[] }
    | { kind: 'smoke'; action: 'smoke'; gates: string[] }
    | { kind: 'traffic'; percent: number; holdMs: number; gates: string[]; action: 'traffic' | null }
    | { kind: 'approval'; question: string; gates: string[] }
    | { kind: 'bake'; holdMs: number; gates: string[] }
    | { kind: 'run'; action: string; holdMs: number; gates: string[] }
    // Issue 12: a feature flag's rollout set to `percent` and turned on; its undo turns it off.
    | { kind: 'flag'; action: string; percent: number; holdMs: number; gates: string[] }
  );

export interface PlannedPreflightItem {
  id: string;
  title: string;
  manual: boolean;
  required: boolean;
}

/** Everything the machine needs to know about the runbook, frozen when the release starts. */
export interface ReleasePlan {
  stages: PlannedStage[];
  preflight: PlannedPreflightItem[];
  gates: Record<string, GatePolicy>;
  approvals: { required: number; approvers: string[]; operators: string[]; allowSelfApproval: boolean };
  onBreach: 'rollback' | 'pause';
  rollbackIncident: Severity | 'none';
  verifyRollback: boolean;
  /** Action names the runbook defines for this service/environment (for rollback steps). */
  actions: string[];
  /** Short descriptions of each action, for dry runs and the rollback plan ("./ops/rollback.sh v1.2.2"). */
  actionSummaries: Record<string, string>;
  /** Environments of this service that promote from this one (a completion offers a start there). */
  promotesTo?: string[];
}

export type ReleaseState =
  | 'preflight' // automated checks running / manual items waiting
  | 'awaiting_approval'
  | 'running'
  | 'paused'
  | 'rolling_back'
  | 'completed'
  | 'rolled_back'
  | 'rejected'
  | 'aborted'
  | 'failed';

export const FINAL_STATES: readonly ReleaseState[] = [
  'completed',
  'rolled_back',
  'rejected',
  'aborted',
  'failed',
];

export type StageStatus = 'waiting' | 'running' | 'done' | 'failed' | 'skipped';

/** Where a running stage is: its action runs, it holds while gates watch, or it waits for a promote. */
export type StagePhase = 'action' | 'hold' | 'approval';

export interface StageRun {
  status: StageStatus;
  phase?: StagePhase;
  startedAt?: string;
  endedAt?: string;
  /** How many times the stage's action was started (a retry after failure bumps it). */
  attempt: number;
  /** When the hold/bake ends (ISO), while its timer runs. */
  holdEndsAt?: string;
  /** Milliseconds of hold left, kept while paused. */
  holdRemainingMs?: number;
  holdElapsed?: boolean;
  /** Fences hold timers: a hold-end job counts only when its seq is the current one. */
  holdSeq: number;
  /** The action's result as data (summary, output tail); for a stage failed by a gate breach, the breach. */
  detail?: ActionOutput;
  /**
   * Set when a person cut the stage short (an abort or a manual rollback): it is then `skipped`, not
   * `failed`. `reason` is what they typed, if anything.
   */
  stopped?: { by: string; how: 'abort' | 'rollback'; reason?: string };
}

export interface PreflightRun extends PlannedPreflightItem {
  status: 'pending' | 'running' | 'passed' | 'failed';
  by?: string;
  at?: string;
  /** The check's result: its summary, and the end of its output when it failed. */
  detail?: ActionOutput;
  attempt: number;
}

export interface GateReading {
  value: number | null;
  verdict: 'ok' | 'breach' | 'no_data';
  at: string;
  /** Since when the gate has been in breach (ISO), while it is. */
  breachSince?: string;
  /**
   * Samples taken in the current stage. At least 1 once sampled; steady readings reach the stored
   * release once per card window (jobs/steady-sample.ts), so the stored count may lag and, with
   * several workers, count fewer. The chart's kept samples record each one.
   */
  samples: number;
  /** Fences sampling jobs: a sample counts only when its seq is the current one. */
  seq: number;
  error?: string;
  /** `no_data: wait`: since when the gate has had no data (ISO), while it has none. */
  noDataSince?: string;
}

/**
 * One step of the walk back: `traffic` (to 0), an undo (`rollback`, or `undo-s<stage>`), `verify`.
 * The name is unique within the release and makes the step's idempotency key.
 */
export interface RollbackStep {
  name: string;
  action: string;
  status: 'waiting' | 'running' | 'done' | 'failed' | 'skipped';
  detail?: ActionOutput;
  /** Issue 12: for an undo, the stage it undoes (0-based) and that stage's label. */
  stage?: number;
  label?: string;
  /** Issue 12: a flag stage's undo turns the flag off. */
  flagOff?: boolean;
}

export interface RollbackProgress {
  reason: string;
  /** The output tail of the failed action that caused it, when one did (apart from the sentence). */
  tail?: string;
  by: string; // user id or "runway" for automatic rollbacks
  at: string;
  automatic: boolean;
  steps: RollbackStep[];
  /** The version traffic goes back to. */
  toVersion: string | null;
}

export interface Release {
  id: string;
  /** Optimistic-concurrency revision: bumped on every save. */
  rev: number;
  /** Fencing token: bumped whenever a scheduled job must stop counting (stage change, pause, rollback). */
  epoch: number;
  kind: 'release' | 'rollback';
  service: string;
  environment: string;
  version: string;
  previousVersion: string | null;
  requester: string;
  notes?: string;
  hotfix?: { reason: string };
  dryRun: boolean;
  createdAt: string;
  updatedAt: string;
  endedAt?: string;
  state: ReleaseState;
  plan: ReleasePlan;
  preflight: PreflightRun[];
  approvals: { user: string; at: string }[];
  rejection?: { user: string; at: string; reason?: string };
  stageIndex: number; // the current stage (-1 before the first)
  stages: StageRun[];
  traffic: number;
  gates: Record<string, GateReading>;
  pause?: { by: string; at: string; reason: string; tail?: string }; // tail: of the action that failed
  rollback?: RollbackProgress;
  /** Why the release ended the way it did, in a sentence (output tails stay on the stage and step records). */
  outcome?: string;
  /** Where its card lives: set by a `cardPosted` event once the Slack layer has posted it. */
  card?: { channel: string; ts: string };
  /** The channel `/release start` was typed in: the card goes there when no releases channel is set. */
  originChannel?: string;
  incidentId?: string;
  /** Promotion: the release in the source environment this one was started from (its card, to link). */
  promotedFrom?: PromotionLink;
  /** Promotion: the releases started from this one in other environments, once their cards exist. */
  promotedTo?: PromotionLink[];
}

export interface PromotionLink {
  releaseId: string;
  environment: string;
  card?: { channel: string; ts: string };
}

// ---- events --------------------------------------------------------------------------------

/** Who did it, and what groups they belong to among those the runbook names (resolved by the caller). */
export interface Actor {
  user: string;
  groups?: string[];
}

export type ReleaseEvent =
  | ({ type: 'preflightChecked'; itemId: string; attempt: number } & ActionEnd)
  | { type: 'preflightTicked'; itemId: string; actor: Actor; checked: boolean }
  | { type: 'preflightRerun'; actor: Actor }
  | { type: 'approved'; actor: Actor }
  | { type: 'rejected'; actor: Actor; reason?: string }
  | ({ type: 'actionFinished'; stageIndex: number; attempt: number; epoch: number } & ActionEnd)
  | { type: 'gateSampled'; gate: string; epoch: number; seq: number; value: number | null; error?: string }
  | { type: 'holdElapsed'; stageIndex: number; epoch: number; seq: number }
  | { type: 'pauseRequested'; actor: Actor; reason?: string }
  | { type: 'resumeRequested'; actor: Actor }
  | { type: 'abortRequested'; actor: Actor; reason?: string }
  /** `stageIndex`: the stage the person saw (a card button); a promote meant for an earlier stage is refused. */
  | { type: 'promoteRequested'; actor: Actor; stageIndex?: number }
  | { type: 'rollbackRequested'; actor: Actor; reason?: string }
  | ({ type: 'rollbackStepFinished'; step: string } & ActionEnd)
  | { type: 'cardPosted'; channel: string; ts: string } // where the card was posted (the first wins)
  /** An action cut off by a crash runs again (its `run`: the how-many-th run of that key). */
  | { type: 'actionResumed'; action: string; purpose: ActionPurpose; run: number; previousOwner?: string }
  /** A release promoted from this one got its card (so this card links to it). */
  | { type: 'promotionLinked'; link: PromotionLink; by: string };

// ---- effects -------------------------------------------------------------------------------

/** Why an action runs: a stage, a pre-flight check, or a rollback step. */
export type ActionPurpose =
  | { kind: 'stage'; stageIndex: number; attempt: number; epoch: number }
  | { kind: 'preflight'; itemId: string; attempt: number }
  | { kind: 'rollback'; step: string };

export type Effect =
  | {
      type: 'runAction';
      /** Deterministic: the same step of the same release always has the same key. */
      key: string;
      /** `preflight:<id>` actions are the check of that pre-flight item. */
      action: string;
      /** Template values of this step on top of the release's (`version`: a rollback's verify step). */
      vars: { percent?: number; version?: string; flag?: 'on' | 'off' };
      purpose: ActionPurpose;
    }
  | { type: 'cancelAction'; key: string }
  | { type: 'scheduleGateSample'; gate: string; epoch: number; seq: number; delayMs: number }
  | { type: 'scheduleHoldEnd'; stageIndex: number; epoch: number; seq: number; delayMs: number }
  | { type: 'updateCard' }
  | { type: 'postInThread'; note: ThreadNote }
  | { type: 'postHandoff' }
  | { type: 'declareIncident'; severity: Severity; title: string; reason: string }
  | { type: 'releaseLock' }
  | { type: 'recordDeployed'; version: string }
  | { type: 'audit'; action: string; actor: string; details?: Record<string, unknown> };

/** The machine's refusal: the one refusal shape of src/errors.ts, marked as a refusal. */
export interface Refusal extends CodedRefusal {
  refused: true;
}

export interface Decision {
  refused: false;
  release: Release;
  effects: Effect[];
}

export type DecideResult = Decision | Refusal;
