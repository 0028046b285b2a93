// Declaring an incident: create its channel (the channel name is its id), store it, audit it, and hand
// the steps that follow — invite, card, announcement, release link, page, sev1 reminder — to a job
// keyed by the incident, so a process that dies right after creating the channel loses none of them.
// Each step records that it is done on the incident: a retried job finishes what a crash left undone
// without doing anything twice.
import { actionKind } from '../actions/run-action.ts';
import type { Release, Severity } from '../release/types.ts';
import { announcementText, releaseThreadText, topicText } from '../slack/views/incident-text.ts';
import { MissingChannelError } from '../slack/channels.ts';
import { linkBase } from '../slack/workspace-url.ts';
import { incidentChannelName } from './channel-name.ts';
import { createIncidentChannel } from './create-channel.ts';
import { expandUsers, inviteUsers } from './invite.ts';
import type { IncidentDeps } from './deps.ts';
import { enqueueFinish, enqueuePage, enqueueStatuspage, scheduleReminder } from './enqueue.ts';
import { linkReleaseToIncident } from './link-release.ts';
import type { IncidentMessenger } from './messenger.ts';
import { approverIds, incidentSettings, incidentsChannel, incidentTarget, pageAction } from './targets.ts';
import { pagesFor, type Incident, type LinkedRelease } from './types.ts';

export interface DeclareRequest {
  severity: Severity;
  title: string;
  /** A Slack user id, or "runway" for an automatic incident. */
  declaredBy: string;
  release?: Release;
  reason?: string;
}

export async function declareIncident(deps: IncidentDeps, req: DeclareRequest): Promise<Incident> {
  const ctx = deps.runbook();
  const now = deps.now();
  const target = incidentTarget(ctx, req.release);
  const { channelPrefix } = incidentSettings(ctx);
  const channel = await createIncidentChannel(
    deps.client,
    (attempt) => incidentChannelName({ title: req.title, now, prefix: channelPrefix, attempt }),
    (name) => deps.incidents.exists(name),
  );
  const page = pageAction(ctx, target);
  const at = now.toISOString();
  const incident: Incident = {
    id: channel.name,
    rev: 1,
    severity: req.severity,
    title: req.title,
    status: 'declared',
    commander: req.declaredBy === 'runway' ? null : req.declaredBy,
    declaredBy: req.declaredBy,
    ...(req.reason ? { reason: req.reason } : {}),
    startedAt: at,
    channelId: channel.id,
    lastUpdateAt: at,
    updates: [],
    ...(req.release ? { release: linkedRelease(req.release) } : {}),
    ...(target ? { target } : {}),
    paging: {
      status: !pagesFor(req.severity) ? 'not_needed' : page ? 'pending' : 'not_configured',
      ...(page ? { via: actionKind(page) } : {}),
      attempts: 0,
    },
    ...(pagesFor(req.severity) && ctx.runbook.incidents?.statuspage
      ? { statuspage: { status: 'pending' } }
      : {}),
  };
  if (!(await deps.incidents.create(incident))) throw new Error(`an incident ${incident.id} exists already`);
  await deps.audit.append({
    actor: req.declaredBy,
    action: 'incident.declared',
    incidentId: incident.id,
    ...(req.release
      ? { releaseId: req.release.id, service: req.release.service, environment: req.release.environment }
      : {}),
    details: {
      severity: incident.severity,
      title: incident.title,
      channel: channel.id,
      ...(req.reason ? { reason: req.reason } : {}),
    },
  });
  deps.log.info(
    { incidentId: incident.id, severity: incident.severity, releaseId: req.release?.id },
    'incident declared',
  );
  await enqueueFinish(deps.queue, incident.id);
  return incident;
}

export function linkedRelease(r: Release): LinkedRelease {
  return {
    id: r.id,
    service: r.service,
    environment: r.environment,
    version: r.version,
    previousVersion: r.previousVersion,
    ...(r.card ? { card: r.card } : {}),
  };
}

/** The channel's topic says what the incident is; a topic that cannot be set holds nothing up. */
async function setIncidentTopic(deps: IncidentDeps, i: Incident): Promise<void> {
  try {
    await deps.client.conversations.setTopic({ channel: i.channelId, topic: topicText(i) });
  } catch (error) {
    deps.log.warn(
      { incidentId: i.id, err: error instanceof Error ? error.message : String(error) },
      'could not set the incident channel topic',
    );
  }
}

/** The steps after the incident exists; each one is skipped when the incident says it is done. */
export async function finishDeclaration(
  deps: IncidentDeps,
  messenger: IncidentMessenger,
  incident: Incident,
): Promise<Incident> {
  let i = incident;
  const mark = async (change: Partial<Incident>) => {
    const saved = await deps.incidents.mutate(i.id, (current) => ({ ...current, ...change }));
    i = saved.ok ? saved.incident : { ...i, ...change };
  };
  if (!i.invited) {
    await invite(deps, i);
    await mark({ invited: true });
  }
  if (!i.topicSet) {
    await setIncidentTopic(deps, i);
    await mark({ topicSet: true });
  }
  i = await messenger.postCard(i);
  if (!i.announcement && !i.announcementSkipped) {
    const where = incidentsChannel(deps.runbook(), i.target);
    if (where) {
      // A missing incidents channel must not hold up paging and the rest: say so where people are.
      const channel = await deps.channels.resolve(where).catch(async (error: unknown) => {
        if (!(error instanceof MissingChannelError)) throw error;
        deps.log.warn(
          { incidentId: i.id, err: error.message },
          'incident not announced: no such incidents channel',
        );
        await messenger.say(i.channelId, `:warning: This incident could not be announced: ${error.message}`);
        await mark({ announcementSkipped: error.message });
        return null;
      });
      const ts = channel
        ? await messenger.announce(i.id, channel, announcementText(i, await linkBase(deps.client)))
        : undefined;
      if (channel && ts) await mark({ announcement: { channel, ts } });
    } else {
      deps.log.warn(
        { incidentId: i.id },
        'no incidents channel in the runbook: the incident is not announced',
      );
    }
  }
  if (i.release && !i.releaseLinked) {
    const release = await linkReleaseToIncident(deps.releases, i.release.id, i.id);
    const card = release?.card ?? i.release.card;
    const where = card
      ? { channel: card.channel, thread: { ts: card.ts } }
      : release && (await releaseThread(deps, i, release));
    if (where)
      await messenger.say(where.channel, releaseThreadText(i), where.thread, `incident-${i.id}-release-link`);
    await mark({ releaseLinked: true, ...(card ? { release: { ...i.release, card } } : {}) });
    await messenger.refreshCard(i.id);
  }
  if (i.paging.status === 'pending') await enqueuePage(deps.queue, i.id, 'trigger');
  if (i.statuspage?.status === 'pending') await enqueueStatuspage(deps.queue, i.id, 'open');
  if (i.severity === 'sev1')
    await scheduleReminder(deps.queue, i, incidentSettings(deps.runbook()).sev1ReminderMs, deps.now());
  return i;
}

/**
 * The thread of a release whose card is not posted yet (it waits in its lane, say behind a long
 * Retry-After): the link queues behind the card and is threaded under it once it is posted. A release
 * with nowhere to post its card gets no link: that must not hold up the page that follows.
 */
async function releaseThread(deps: IncidentDeps, i: Incident, release: Release) {
  try {
    return await deps.releaseThread(release);
  } catch (error) {
    deps.log.warn(
      {
        incidentId: i.id,
        releaseId: release.id,
        err: error instanceof Error ? error.message : String(error),
      },
      'no release thread to link the incident in',
    );
    return null;
  }
}

async function invite(deps: IncidentDeps, i: Incident): Promise<void> {
  const people = [
    ...(i.declaredBy !== 'runway' ? [i.declaredBy] : []),
    ...(i.release ? [await requesterOf(deps, i.release.id)] : []),
  ].filter((u): u is string => Boolean(u));
  let approvers: string[] = [];
  try {
    approvers = await expandUsers(deps.client, approverIds(deps.runbook(), i.target, !i.release));
  } catch (error) {
    deps.log.warn(
      { incidentId: i.id, err: error instanceof Error ? error.message : String(error) },
      'could not list the approvers to invite',
    );
  }
  const problems = await inviteUsers(deps.client, i.channelId, [...people, ...approvers]);
  if (problems.length > 0) deps.log.info({ incidentId: i.id, problems }, 'some people were not invited');
}

async function requesterOf(deps: IncidentDeps, releaseId: string): Promise<string | null> {
  return (await deps.releases.get(releaseId))?.requester ?? null;
}
