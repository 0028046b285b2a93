// An incident as data: what /incident and an automatic rollback create, what its card shows, what
// its jobs (paging, reminders, postmortem) read. Kept in Redis by IncidentStore; its id is the name
// of its Slack channel (`inc-20261123-checkout-errors`), which is also the PagerDuty dedup_key.
import type { Severity } from '../release/types.ts';

export type IncidentStatus = 'declared' | 'acknowledged' | 'resolved';

export const SEVERITIES: readonly Severity[] = ['sev1', 'sev2', 'sev3', 'sev4'];

/** sev1 and sev2 page the on-call (SPEC section 6). */
export function pagesFor(severity: Severity): boolean {
  return severity === 'sev1' || severity === 'sev2';
}

export type PagingStatus =
  | 'not_needed' // sev3 / sev4
  | 'not_configured' // no `page` action in the runbook
  | 'pending'
  | 'retrying'
  | 'paged'
  | 'failed';

export interface PagingState {
  status: PagingStatus;
  /** The kind of the `page` action: pagerduty, webhook, … */
  via?: string;
  /** Attempts made so far (job attempts). */
  attempts: number;
  /** The last outcome, for people; never holds the routing key (the senders scrub it). */
  detail?: string;
  at?: string;
}

/** The incident's Atlassian Statuspage incident (sev1/sev2 with `incidents.statuspage`). */
export interface StatuspageState {
  /** pending/retrying: opening; skipped: resolved before it was opened; failed: gave up opening. */
  status: 'pending' | 'retrying' | 'open' | 'resolved' | 'skipped' | 'failed';
  /** The Statuspage incident id, once opened. */
  id?: string;
  shortlink?: string;
  /** Timestamps of the /incident updates already posted, so a re-delivered job posts nothing twice. */
  posted?: string[];
  /** The last failure, for people; never holds the API key. */
  detail?: string;
}

export interface IncidentUpdate {
  by: string;
  at: string;
  text: string;
}

/** What the incident remembers of the release it came from (for links, paging vars and the postmortem). */
export interface LinkedRelease {
  id: string;
  service: string;
  environment: string;
  version: string;
  previousVersion: string | null;
  card?: { channel: string; ts: string };
}

export interface Incident {
  id: string;
  /** Optimistic-concurrency revision, bumped on every save. */
  rev: number;
  severity: Severity;
  title: string;
  status: IncidentStatus;
  /** Who leads the response: the declarer, or for an automatic incident whoever acknowledges first. */
  commander: string | null;
  /** A Slack user id, or "runway" for an automatic incident. */
  declaredBy: string;
  /** Why Runway declared it (the rollback reason), for automatic incidents. */
  reason?: string;
  startedAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  resolvedAt?: string;
  resolvedBy?: string;
  summary?: string;
  channelId: string;
  /** When the last update was posted (the declaration counts as the first): fences sev1 reminders. */
  lastUpdateAt: string;
  /** The newest updates, oldest first (at most MAX_UPDATES are kept; the audit log has them all). */
  updates: IncidentUpdate[];
  release?: LinkedRelease;
  /** The service × environment whose runbook settings (page action, channels) the incident uses. */
  target?: { service: string; environment: string };
  paging: PagingState;
  statuspage?: StatuspageState;
  // Declaration steps done, so a retried declaration finishes what a crash left undone.
  invited?: boolean;
  topicSet?: boolean;
  card?: { channel: string; ts: string };
  announcement?: { channel: string; ts: string };
  /** Why it could not be announced (the incidents channel does not exist); said in its own channel. */
  announcementSkipped?: string;
  releaseLinked?: boolean;
  /** When the draft was queued in the channel's lane (delivered once from there, audited then). */
  postmortem?: { at: string; file?: string };
}

export const MAX_UPDATES = 50;

export function isOpen(incident: Incident): boolean {
  return incident.status !== 'resolved';
}
