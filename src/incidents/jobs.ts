// The runway-incidents queue's jobs: payloads (zod), deterministic ids and options. A repeated
// enqueue of the same step (a retried hook, a double click) is the same job id, ignored by BullMQ.
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { safeJobId } from '../queue/queues.ts';

export const pageEventSchema = z.enum(['trigger', 'acknowledge', 'resolve']);
export type PageEvent = z.infer<typeof pageEventSchema>;

export const statuspageEventSchema = z.enum(['open', 'update', 'resolve']);
export type StatuspageEvent = z.infer<typeof statuspageEventSchema>;

export const incidentJobSchema = z.discriminatedUnion('kind', [
  /** Declare the automatic incident of a release (its rollback asked for one). */
  z.object({
    kind: z.literal('declare'),
    releaseId: z.string(),
    severity: z.enum(['sev1', 'sev2', 'sev3', 'sev4']),
    title: z.string(),
    reason: z.string(),
  }),
  /** The steps after an incident exists: invite, card, announcement, release link, page, reminder. */
  z.object({ kind: z.literal('finish'), incidentId: z.string() }),
  /** Send one paging event for an incident. */
  z.object({ kind: z.literal('page'), incidentId: z.string(), event: pageEventSchema }),
  /** A sev1 reminder, counted only while `since` is still the incident's last update. */
  z.object({
    kind: z.literal('remind'),
    incidentId: z.string(),
    since: z.string(),
    n: z.number().int().min(1),
  }),
  /** Open, update or resolve the incident's Statuspage incident. */
  z.object({
    kind: z.literal('statuspage'),
    incidentId: z.string(),
    event: statuspageEventSchema,
    /** For an update: its time (which update) and text. */
    at: z.string().optional(),
    text: z.string().optional(),
  }),
  /** Post the postmortem draft of a resolved incident. */
  z.object({ kind: z.literal('postmortem'), incidentId: z.string() }),
]);
export type IncidentJob = z.infer<typeof incidentJobSchema>;

export const incidentJobIds = {
  declare: (releaseId: string) => safeJobId(`incident-auto-${releaseId}`),
  finish: (incidentId: string) => safeJobId(`incident-finish-${incidentId}`),
  page: (incidentId: string, event: PageEvent) => safeJobId(`page-${incidentId}-${event}`),
  remind: (incidentId: string, since: string, n: number) =>
    safeJobId(`remind-${incidentId}-${Date.parse(since)}-${n}`),
  postmortem: (incidentId: string) => safeJobId(`postmortem-${incidentId}`),
  statuspage: (incidentId: string, event: StatuspageEvent, at?: string) =>
    safeJobId(`statuspage-${incidentId}-${event}${at ? `-${Date.parse(at)}` : ''}`),
};

/** BullMQ calls the worker's backoffStrategy for this type (the runtime sets one, tests shorten it). */
export const ONCALL_BACKOFF_TYPE = 'runway-oncall';

const KEEP: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Paging is tried this many times before the channel is told to page by hand. */
export const PAGE_ATTEMPTS = 6;
/** Status page calls likewise, before the channel is told to update the page by hand. */
export const STATUSPAGE_ATTEMPTS = 8;

export const INCIDENT_JOB_OPTIONS: Record<IncidentJob['kind'], JobsOptions> = {
  declare: { ...KEEP, attempts: 10, backoff: { type: ONCALL_BACKOFF_TYPE } },
  finish: { ...KEEP, attempts: 10, backoff: { type: ONCALL_BACKOFF_TYPE } },
  page: { ...KEEP, attempts: PAGE_ATTEMPTS, backoff: { type: ONCALL_BACKOFF_TYPE } },
  remind: { ...KEEP, attempts: 5, backoff: { type: ONCALL_BACKOFF_TYPE } },
  postmortem: { ...KEEP, attempts: 8, backoff: { type: ONCALL_BACKOFF_TYPE } },
  statuspage: { ...KEEP, attempts: STATUSPAGE_ATTEMPTS, backoff: { type: ONCALL_BACKOFF_TYPE } },
};
