// One attempt at sending a paging event, and what people see of it: a line when the on-call is paged,
// a warning at the first failure, and a call to page by hand when Runway gives up. A failed attempt
// that may succeed later throws, and the job is tried again with backoff; nothing here ever holds
// up the declaration, which is done before the page job exists.
import { pageFailedText, pagedText } from '../slack/views/incident-text.ts';
import type { IncidentDeps } from './deps.ts';
import type { PageEvent } from './jobs.ts';
import type { IncidentMessenger } from './messenger.ts';
import { sendPage } from './page.ts';
import { pageAction } from './targets.ts';
import type { Incident } from './types.ts';

export interface Attempt {
  /** 1-based. */
  attempt: number;
  of: number;
}

export class PageRetryError extends Error {}

export async function runPageJob(
  deps: IncidentDeps,
  messenger: IncidentMessenger,
  job: { incidentId: string; event: PageEvent },
  attempt: Attempt,
): Promise<string> {
  const incident = await deps.incidents.get(job.incidentId);
  if (!incident) return 'no such incident';
  if (job.event === 'trigger' && incident.status === 'resolved' && incident.paging.status !== 'retrying')
    return 'resolved before paging';
  if (job.event === 'acknowledge' && (incident.paging.status !== 'paged' || incident.status === 'resolved'))
    return 'nothing to acknowledge';
  const config = pageAction(deps.runbook(), incident.target);
  if (!config) {
    await setPaging(deps, incident.id, { status: 'not_configured' });
    return 'no page action';
  }
  const outcome = await sendPage(config, incident, {
    event: job.event,
    slackLink: `#${incident.id}`,
    log: deps.log,
    ...(deps.pageRetry ? { retry: deps.pageRetry } : {}),
  });
  if (!outcome) return 'nothing to send';
  const audit = {
    actor: 'runway',
    incidentId: incident.id,
    ...(incident.release ? { releaseId: incident.release.id } : {}),
  };
  const via = incident.paging.via ?? 'page action';
  if (outcome.ok) {
    await deps.audit.append({
      ...audit,
      action: 'incident.paged',
      details: { event: job.event, via, summary: outcome.summary, attempt: attempt.attempt },
    });
    if (job.event === 'trigger') {
      await setPaging(deps, incident.id, {
        status: 'paged',
        attempts: attempt.attempt,
        detail: outcome.summary,
        at: deps.now().toISOString(),
      });
      await messenger.say(incident.channelId, pagedText(outcome.summary));
      await messenger.refreshCard(incident.id);
    }
    return 'sent';
  }
  const last = !outcome.retryable || attempt.attempt >= attempt.of;
  await deps.audit.append({
    ...audit,
    action: 'incident.page_failed',
    details: { event: job.event, via, summary: outcome.summary, attempt: attempt.attempt, final: last },
  });
  deps.log.warn(
    { incidentId: incident.id, event: job.event, attempt: attempt.attempt, summary: outcome.summary },
    'paging failed',
  );
  if (job.event === 'trigger') {
    await setPaging(deps, incident.id, {
      status: last ? 'failed' : 'retrying',
      attempts: attempt.attempt,
      detail: outcome.summary,
    });
    if (attempt.attempt === 1 || last)
      await messenger.say(incident.channelId, pageFailedText(outcome.summary, last ? null : attempt));
    await messenger.refreshCard(incident.id);
  } else if (last) {
    await messenger.say(
      incident.channelId,
      `⚠️ Could not ${job.event} the page: ${outcome.summary}. Do it in the paging tool by hand.`,
    );
  }
  if (!last) throw new PageRetryError(outcome.summary);
  return 'gave up';
}

async function setPaging(deps: IncidentDeps, id: string, change: Partial<Incident['paging']>): Promise<void> {
  await deps.incidents.mutate(id, (i) => ({ ...i, paging: { ...i.paging, ...change } }));
}
