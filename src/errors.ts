// Coded refusals, as bolt-js keeps its errors.ts: a refusal is a sentence meant for a person plus a
// stable code that callers and tests branch on (the sentence may be reworded; the code may not).

export const REFUSAL_CODES = [
  /** The request names something that does not exist or is malformed (service, version, item). */
  'bad_input',
  /** No release with that id, or none active where one was asked for. */
  'not_found',
  /** The release is not in a state where this can happen. */
  'wrong_state',
  /** The release already is where this would take it (already paused, already rolling back…). */
  'already_done',
  /** The actor may not do this (not an approver, operator or the requester). */
  'not_allowed',
  /** The requester may not approve their own release. */
  'self_approval',
  /** Approval waits for pre-flight to pass. */
  'preflight_pending',
  /** The request was for a stage the release has already left (a double click, an old card). */
  'stale_request',
  /** Another release of the service and environment is active. */
  'busy',
  /** Outside the release windows, or frozen. */
  'blocked_by_policy',
  /** There is nothing to do (nothing to re-run, nothing frozen). */
  'nothing_to_do',
  /** Starts are frozen while an incident this severe or worse is open (freeze_on_incident). */
  'incident_open',
  /** The version is lower than the live one: a rollback, unless --downgrade. */
  'downgrade',
  /** The version has not completed in the environment this one promotes from, or not soaked there long enough. */
  'not_promoted',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** A refusal: why, in a sentence a person can act on, and its code. */
export interface Refusal {
  code: RefusalCode;
  reason: string;
}

/** A store operation that cannot succeed (a broken invariant, not a person's mistake), with its code. */
export type StoreErrorCode = 'exists' | 'missing_release' | 'missing_plan' | 'bad_revision' | 'bad_reply';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
