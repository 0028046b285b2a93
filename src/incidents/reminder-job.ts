// The sev1 reminder: a delayed job per (incident, last update, n). It counts only while the incident
// is open and its last update is still the one the reminder was scheduled after — a newer update
// makes it stale (fencing, as release timers do) and schedules its own. Each reminder schedules the
// next, so a silent sev1 is reminded every interval until someone posts or resolves.
import { reminderText } from '../slack/views/incident-text.ts';
import type { IncidentDeps } from './deps.ts';
import { scheduleReminder } from './enqueue.ts';
import type { IncidentMessenger } from './messenger.ts';
import { incidentSettings } from './targets.ts';

export async function runReminderJob(
  deps: IncidentDeps,
  messenger: IncidentMessenger,
  job: { incidentId: string; since: string; n: number },
): Promise<string> {
  const incident = await deps.incidents.get(job.incidentId);
  if (!incident || incident.status === 'resolved' || incident.severity !== 'sev1') return 'stale';
  if (incident.lastUpdateAt !== job.since) return 'stale';
  const now = deps.now();
  const interval = incidentSettings(deps.runbook()).sev1ReminderMs;
  await messenger.say(incident.channelId, reminderText(incident, now.getTime() - Date.parse(job.since)));
  await deps.audit.append({
    actor: 'runway',
    action: 'incident.reminder',
    incidentId: incident.id,
    ...(incident.release ? { releaseId: incident.release.id } : {}),
    details: { since: job.since, n: job.n },
  });
  await scheduleReminder(deps.queue, incident, interval, now, job.n + 1);
  return 'reminded';
}
