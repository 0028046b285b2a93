// Puts incident work on the runway-incidents queue with deterministic job ids.
import type { Queue } from 'bullmq';
import type { Severity } from '../release/types.ts';
import {
  INCIDENT_JOB_OPTIONS,
  incidentJobIds,
  type IncidentJob,
  type PageEvent,
  type StatuspageEvent,
} from './jobs.ts';
import type { Incident } from './types.ts';

async function add(queue: Queue, job: IncidentJob, jobId: string, delay = 0): Promise<void> {
  await queue.add(job.kind, job, {
    ...INCIDENT_JOB_OPTIONS[job.kind],
    jobId,
    ...(delay > 0 ? { delay } : {}),
  });
}

export function enqueueAutoDeclare(
  queue: Queue,
  releaseId: string,
  ask: { severity: Severity; title: string; reason: string },
): Promise<void> {
  return add(queue, { kind: 'declare', releaseId, ...ask }, incidentJobIds.declare(releaseId));
}

export function enqueueFinish(queue: Queue, incidentId: string): Promise<void> {
  return add(queue, { kind: 'finish', incidentId }, incidentJobIds.finish(incidentId));
}

export function enqueuePage(queue: Queue, incidentId: string, event: PageEvent): Promise<void> {
  return add(queue, { kind: 'page', incidentId, event }, incidentJobIds.page(incidentId, event));
}

/** The n-th reminder after the incident's last update, `intervalMs × n` after it. */
export function scheduleReminder(
  queue: Queue,
  incident: Pick<Incident, 'id' | 'lastUpdateAt'>,
  intervalMs: number,
  now: Date,
  n = 1,
): Promise<void> {
  const due = Date.parse(incident.lastUpdateAt) + intervalMs * n;
  return add(
    queue,
    { kind: 'remind', incidentId: incident.id, since: incident.lastUpdateAt, n },
    incidentJobIds.remind(incident.id, incident.lastUpdateAt, n),
    Math.max(0, due - now.getTime()),
  );
}

export function enqueuePostmortem(queue: Queue, incidentId: string): Promise<void> {
  return add(queue, { kind: 'postmortem', incidentId }, incidentJobIds.postmortem(incidentId));
}

/** An update carries its time (one job per update) and its text. */
export function enqueueStatuspage(
  queue: Queue,
  incidentId: string,
  event: StatuspageEvent,
  update?: { at: string; text: string },
): Promise<void> {
  return add(
    queue,
    { kind: 'statuspage', incidentId, event, ...(update ?? {}) },
    incidentJobIds.statuspage(incidentId, event, update?.at),
  );
}
