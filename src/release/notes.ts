// What the release tells its thread, as data. The machine says what happened; the words (and the
// emoji and mentions) are chosen by src/slack/views/release-thread.ts. People are user ids; reasons
// are sentences that may name people with person() tokens.

/** How a stage that a person ended was ended. */
export type StageEnd = { how: 'confirmed'; by: string } | { how: 'promoted'; by: string; skippedMs: number };

/** traffic, verify, or an undo step (rollback, undo-s<stage>). */
export type RollbackStepName = string;

/** Issue 12: an undo step names the stage it undoes. */
export interface UndoOf {
  undoOf?: string;
}

export interface DryRunStage {
  label: string;
  /** The command it would run, placeholders filled. */
  command?: string;
  gates: (string | { name: string; min?: number; max?: number; forMs: number; everyMs: number })[];
}

export type ThreadNote =
  | {
      kind: 'releaseStarted';
      requester: string;
      service: string;
      version: string;
      environment: string;
      hotfixReason?: string;
    }
  /** `detail`: the check's one-line result; `tail`: the end of its output. */
  | { kind: 'preflightFailed'; title: string; detail?: string; tail?: string }
  | { kind: 'preflightComplete' }
  | { kind: 'awaitingApproval'; missing: number; approvers: string[] }
  | { kind: 'approved'; by: string; count: number; required: number }
  | { kind: 'rejected'; by: string; reason?: string }
  | { kind: 'stageStarted'; stage: number; total: number; label: string }
  | { kind: 'confirmationAsked'; question: string }
  | { kind: 'holdOverWaiting'; gates: string[] }
  | {
      kind: 'stageSucceeded';
      stage: number;
      total: number;
      label: string;
      end?: StageEnd;
      readings: { gate: string; reading: string }[];
    }
  | {
      kind: 'released';
      service: string;
      version: string;
      environment: string;
      /** Environments that promote from this one: the post offers a start in each. */
      promoteTo?: string[];
    }
  /** A release of this version was started in another environment from this one's completion. */
  | { kind: 'promotionStarted'; by: string; environment: string; card: { channel: string; ts: string } }
  | {
      kind: 'actionFailed';
      action: string;
      stage: number;
      label: string;
      summary: string;
      /** The end of the action's output, when it printed any. */
      tail?: string;
    }
  /** The failed action's output tail is in the actionFailed note just before, not repeated here. */
  | { kind: 'pausedOnFailure'; reason: string }
  | { kind: 'paused'; by: string; reason?: string }
  | { kind: 'resumed'; by: string }
  /** An action cut off by a crash runs again on another worker (`what`: "stage 2 (deploy)"). */
  | { kind: 'actionResumed'; action: string; what: string }
  | { kind: 'aborted'; by: string; reason?: string; traffic: number }
  | {
      kind: 'gateBreached';
      gate: string;
      reading: string;
      /** How long the breach may last before Runway acts (0: at once). */
      forMs: number;
      then: 'rollback' | 'pause';
    }
  | { kind: 'gateRecovered'; gate: string; reading: string }
  /** A `no_data: wait` gate lost its data: the hold clock stops. */
  | { kind: 'waitingForData'; gate: string; timeoutMs: number; error?: string }
  /** Its data came back after `waitedMs`: the hold clock runs again. */
  | { kind: 'dataReturned'; gate: string; waitedMs: number }
  /** No data for `no_data_timeout`: a breach. */
  | { kind: 'noDataTimedOut'; gate: string; timeoutMs: number; then: 'rollback' | 'pause' }
  | { kind: 'rollbackStarted'; automatic: boolean; by: string; toVersion: string | null; reason: string }
  | ({ kind: 'rollbackStepStarted'; step: RollbackStepName; command: string } & UndoOf)
  | ({ kind: 'rollbackStepDone'; step: RollbackStepName; command: string } & UndoOf)
  | ({
      kind: 'rollbackStepFailed';
      step: RollbackStepName;
      command: string;
      /** The step's one-line result, and the end of its output. */
      detail?: string;
      tail?: string;
    } & UndoOf)
  | { kind: 'rollbackIncomplete'; failed: string[] }
  | { kind: 'rolledBack'; toVersion: string | null; reason: string }
  | {
      kind: 'dryRun';
      service: string;
      version: string;
      environment: string;
      warnings: string[];
      preflight: { title: string; manual: boolean; command: string }[];
      approvals: { required: number; approvers: string[] };
      stages: DryRunStage[];
      onBreach: 'rollback' | 'pause';
      rollbackCommand?: string;
      /** Issue 12: the walk back a rollback would take, step by step (what it would run). */
      walkBack?: ({ step: RollbackStepName; command: string } & UndoOf)[];
    };

export type ThreadNoteKind = ThreadNote['kind'];
