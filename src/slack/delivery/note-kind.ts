// Which release thread notes are routine (may fold into one post when the channel is busy), decided
// from the note's kind. Breaches, rollbacks, approvals, refusals, pauses and failures are important
// and always keep their own post. The record makes every new kind choose (the type check fails).
import type { ThreadNoteKind } from '../../release/notes.ts';
import type { PostKind } from './types.ts';

const KIND: Record<ThreadNoteKind, PostKind> = {
  releaseStarted: 'routine',
  preflightComplete: 'routine',
  stageStarted: 'routine',
  stageSucceeded: 'routine',
  released: 'routine',
  promotionStarted: 'important',
  preflightFailed: 'important',
  awaitingApproval: 'important',
  approved: 'important',
  rejected: 'important',
  confirmationAsked: 'important',
  holdOverWaiting: 'important',
  actionFailed: 'important',
  pausedOnFailure: 'important',
  paused: 'important',
  resumed: 'important',
  actionResumed: 'important',
  aborted: 'important',
  gateBreached: 'important',
  gateRecovered: 'important',
  rollbackStarted: 'important',
  rollbackStepStarted: 'important',
  rollbackStepDone: 'important',
  rollbackStepFailed: 'important',
  rollbackIncomplete: 'important',
  rolledBack: 'important',
  dryRun: 'important',
  waitingForData: 'important',
  dataReturned: 'important',
  noDataTimedOut: 'important',
};

export function noteKind(note: { kind: ThreadNoteKind }): PostKind {
  return KIND[note.kind];
}
