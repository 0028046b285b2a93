// What the engine takes and returns: its dependencies, the requests that are not plain release
// events, and its result (the release, or a coded refusal from src/errors.ts).
import type { Logger } from '../log.ts';
import type { Actor, PromotionLink, Release, ReleaseEvent } from '../release/types.ts';
import type { ReleaseStore } from '../store/release-store.ts';
import type { AuditLog } from '../store/audit-log.ts';
import type { Refusal } from '../errors.ts';
import type { RunbookContext } from './runbook-context.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { OpenIncident } from '../release/start-guards.ts';

/** The engine's refusal: the one refusal shape of src/errors.ts. `bad_input` replies add the usage line. */
export interface Refused extends Refusal {
  ok: false;
}
export interface Accepted {
  ok: true;
  release: Release;
}
export type EngineResult = Accepted | Refused;

export interface StartRequest {
  service?: string;
  environment?: string;
  version: string;
  requester: string;
  notes?: string;
  hotfix?: string;
  dryRun?: boolean;
  /** `--downgrade`: starting a lower version than the live one is meant (audited). */
  downgrade?: boolean;
  /** Where the request came from (Slack channel id). */
  originChannel?: string;
  /** Started from a completed release's *Start in <env>* button: the cards link to each other. */
  promotedFrom?: PromotionLink;
}

export interface RollbackRequest {
  service?: string;
  environment?: string;
  toVersion?: string;
  reason?: string;
  actor: Actor;
}

/** Resolves which of the runbook's user groups a user belongs to (Slack: usergroups.users.list). */
export type GroupResolver = (user: string, groups: readonly string[]) => Promise<string[]>;

export interface EngineDeps {
  store: ReleaseStore;
  audit: AuditLog;
  runbook: () => RunbookContext;
  dispatcher: Dispatcher;
  log: Logger;
  clock?: () => Date;
  groups?: GroupResolver;
  /** The open incidents, for `freeze_on_incident` (none known when unset). */
  openIncidents?: () => Promise<OpenIncident[]>;
  newId?: (service: string, environment: string, now: Date) => string;
  /** Sees every saved decision (metrics). */
  observe?: (before: Release, after: Release, event: ReleaseEvent | { type: 'started' }) => void;
}

/** What the engine's parts share: its dependencies with the clock resolved. */
export interface EngineKit extends EngineDeps {
  clock: () => Date;
}
