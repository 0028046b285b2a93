// One attempt at a status page call for an incident (open, update, resolve), and what the incident
// channel hears of it: the link when opened, a warning at the first failure, a call to act by hand
// when Runway gives up. A failure that may pass throws, and BullMQ tries again with backoff; the
// Slack side never waits for any of it. An update or resolve that finds the open still under way
// waits (throws) for it; one that finds the open given up or skipped has nothing to change.
import {
  statuspageFailedText,
  statuspageOpenedText,
  statuspageResolvedText,
} from '../slack/views/statuspage-text.ts';
import type { IncidentDeps } from './deps.ts';
import type { StatuspageEvent } from './jobs.ts';
import type { IncidentMessenger } from './messenger.ts';
import type { Attempt } from './page-job.ts';
import {
  createIncident,
  findOpened,
  patchIncident,
  resolveBody,
  updateBody,
  type StatuspageOutcome,
  type StatuspageIncident,
} from './statuspage.ts';
import type { Incident, StatuspageState } from './types.ts';

export class StatuspageRetryError extends Error {}

export interface StatuspageJob {
  incidentId: string;
  event: StatuspageEvent;
  at?: string | undefined;
  text?: string | undefined;
}

export async function runStatuspageJob(
  deps: IncidentDeps,
  messenger: IncidentMessenger,
  job: StatuspageJob,
  attempt: Attempt,
): Promise<string> {
  const incident = await deps.incidents.get(job.incidentId);
  const state = incident?.statuspage;
  if (!incident || !state) return 'no status page for this incident';
  const config = deps.runbook().runbook.incidents?.statuspage;
  if (!config) return 'no incidents.statuspage in the runbook';

  let outcome: StatuspageOutcome<StatuspageIncident | null>;
  if (job.event === 'open') {
    if (state.id) return 'opened already';
    if (incident.status === 'resolved') {
      await setState(deps, incident.id, { status: 'skipped' });
      return 'resolved before the status page was opened';
    }
    // A lost reply (or a worker that died after the POST) may have opened it: find it first.
    const found = await findOpened(config, incident.id);
    outcome = found.ok && found.value === null ? await createIncident(config, incident) : found;
  } else {
    if (!state.id) {
      if (state.status === 'pending' || state.status === 'retrying') {
        if (attempt.attempt < attempt.of) throw new StatuspageRetryError('not opened yet');
        const why = 'the status page incident is still not open';
        await messenger.say(incident.channelId, statuspageFailedText(job.event, why, null));
        return 'gave up';
      }
      return `nothing to ${job.event}: the status page incident was ${state.status === 'failed' ? 'never opened' : 'not opened'}`;
    }
    if (state.status === 'resolved') return 'resolved already';
    if (job.event === 'update') {
      if (!job.at || !job.text || state.posted?.includes(job.at)) return 'posted already';
      outcome = await patchIncident(config, state.id, updateBody(job.text));
    } else {
      outcome = await patchIncident(config, state.id, resolveBody(config, incident.summary));
    }
  }

  const audit = {
    actor: 'runway',
    incidentId: incident.id,
    ...(incident.release ? { releaseId: incident.release.id } : {}),
  };
  if (outcome.ok) {
    await deps.audit.append({
      ...audit,
      action: `incident.statuspage_${job.event}`,
      details: { attempt: attempt.attempt },
    });
    await recordSuccess(deps, messenger, incident, job, outcome.value);
    return job.event === 'open' ? 'opened' : job.event === 'update' ? 'updated' : 'resolved';
  }
  const last = !outcome.retryable || attempt.attempt >= attempt.of;
  await deps.audit.append({
    ...audit,
    action: 'incident.statuspage_failed',
    details: { event: job.event, summary: outcome.summary, attempt: attempt.attempt, final: last },
  });
  deps.log.warn(
    { incidentId: incident.id, event: job.event, attempt: attempt.attempt, summary: outcome.summary },
    'status page call failed',
  );
  if (job.event === 'open')
    await setState(deps, incident.id, { status: last ? 'failed' : 'retrying', detail: outcome.summary });
  if (attempt.attempt === 1 || last)
    await messenger.say(
      incident.channelId,
      statuspageFailedText(job.event, outcome.summary, last ? null : attempt),
    );
  if (!last) throw new StatuspageRetryError(outcome.summary);
  return 'gave up';
}

async function recordSuccess(
  deps: IncidentDeps,
  messenger: IncidentMessenger,
  incident: Incident,
  job: StatuspageJob,
  answer: StatuspageIncident | null,
): Promise<void> {
  if (job.event === 'open') {
    await setState(deps, incident.id, {
      status: 'open',
      ...(answer?.id ? { id: answer.id } : {}),
      ...(answer?.shortlink ? { shortlink: answer.shortlink } : {}),
    });
    await messenger.say(incident.channelId, statuspageOpenedText(answer?.shortlink));
  } else if (job.event === 'update' && job.at) {
    const at = job.at;
    await deps.incidents.mutate(incident.id, (i) => ({
      ...i,
      statuspage: {
        ...(i.statuspage ?? { status: 'open' }),
        posted: [...(i.statuspage?.posted ?? []), at].slice(-50),
      },
    }));
  } else if (job.event === 'resolve') {
    await setState(deps, incident.id, { status: 'resolved' });
    await messenger.say(incident.channelId, statuspageResolvedText());
  }
}

async function setState(deps: IncidentDeps, id: string, change: Partial<StatuspageState>): Promise<void> {
  await deps.incidents.mutate(id, (i) => ({
    ...i,
    statuspage: { ...(i.statuspage ?? { status: 'pending' }), ...change },
  }));
}
