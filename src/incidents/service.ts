// What /incident, the card's buttons, the release notifier and the incident jobs call. Every change is
// a compare-and-set on the incident, audited with its id (and its release's) so the postmortem
// timeline is the audit log; Slack is told after the change is stored.
import type { Release } from '../release/types.ts';
import { acknowledgedText, resolvedText, updateText } from '../slack/views/incident-text.ts';
import { declareIncident, finishDeclaration } from './declare.ts';
import type { IncidentDeps } from './deps.ts';
import {
  enqueueAutoDeclare,
  enqueuePage,
  enqueuePostmortem,
  enqueueStatuspage,
  scheduleReminder,
} from './enqueue.ts';
import { PENDING } from './incident-store.ts';
import type { IncidentJob } from './jobs.ts';
import { IncidentMessenger } from './messenger.ts';
import { runPageJob, type Attempt } from './page-job.ts';
import { runPostmortemJob } from './postmortem-job.ts';
import { runReminderJob } from './reminder-job.ts';
import { runStatuspageJob } from './statuspage-job.ts';
import { incidentSettings } from './targets.ts';
import { MAX_UPDATES, type Incident } from './types.ts';

export type IncidentResult = { ok: true; incident: Incident } | { ok: false; reason: string };

export interface DeclareCommand {
  severity: Incident['severity'];
  title: string;
  user: string;
}

export class IncidentService {
  readonly messenger: IncidentMessenger;

  constructor(private readonly deps: IncidentDeps) {
    this.messenger = new IncidentMessenger(deps);
  }

  // ---- commands and buttons ------------------------------------------------------------------

  async declare(cmd: DeclareCommand): Promise<IncidentResult> {
    try {
      const incident = await declareIncident(this.deps, {
        severity: cmd.severity,
        title: cmd.title,
        declaredBy: cmd.user,
      });
      return { ok: true, incident };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.error({ err: message, user: cmd.user }, 'incident declaration failed');
      await this.deps.audit.append({
        actor: cmd.user,
        action: 'incident.declare_failed',
        details: { severity: cmd.severity, title: cmd.title, error: message },
      });
      return {
        ok: false,
        reason: `Runway could not declare the incident: ${message}. Declare it by hand (create the channel, page the on-call) and tell the team.`,
      };
    }
  }

  async acknowledge(incidentId: string, user: string): Promise<IncidentResult> {
    const at = this.deps.now().toISOString();
    const saved = await this.deps.incidents.mutate(incidentId, (i) => {
      if (i.status === 'resolved') return { refused: 'This incident is already resolved.' };
      if (i.status === 'acknowledged')
        return {
          refused: `<@${i.acknowledgedBy ?? ''}> acknowledged it already; the commander is ${i.commander ? `<@${i.commander}>` : 'not set'}.`,
        };
      return {
        ...i,
        status: 'acknowledged',
        acknowledgedAt: at,
        acknowledgedBy: user,
        commander: i.commander ?? user,
      };
    });
    if (!saved.ok) return saved;
    const i = saved.incident;
    await this.audit(i, user, 'incident.acknowledged', { commander: i.commander });
    await this.messenger.say(i.channelId, acknowledgedText(i));
    await this.messenger.refreshCard(i.id);
    if (i.paging.via === 'pagerduty' && i.paging.status === 'paged')
      await enqueuePage(this.deps.queue, i.id, 'acknowledge');
    return saved;
  }

  async postUpdate(incidentId: string, user: string, text: string): Promise<IncidentResult> {
    const at = this.deps.now().toISOString();
    const update = { by: user, at, text };
    const saved = await this.deps.incidents.mutate(incidentId, (i) => {
      if (i.status === 'resolved')
        return { refused: 'This incident is resolved; add to the postmortem draft instead.' };
      return { ...i, updates: [...i.updates, update].slice(-MAX_UPDATES), lastUpdateAt: at };
    });
    if (!saved.ok) return saved;
    const i = saved.incident;
    await this.audit(i, user, 'incident.update', { text });
    await this.messenger.say(i.channelId, updateText(update));
    await this.messenger.refreshCard(i.id);
    if (i.statuspage) await enqueueStatuspage(this.deps.queue, i.id, 'update', { at, text });
    if (i.severity === 'sev1')
      await scheduleReminder(
        this.deps.queue,
        i,
        incidentSettings(this.deps.runbook()).sev1ReminderMs,
        this.deps.now(),
      );
    return saved;
  }

  async resolve(incidentId: string, user: string, summary?: string): Promise<IncidentResult> {
    const now = this.deps.now();
    const saved = await this.deps.incidents.mutate(incidentId, (i) => {
      if (i.status === 'resolved')
        return {
          refused: `This incident was resolved already${i.resolvedBy ? ` by <@${i.resolvedBy}>` : ''}.`,
        };
      return {
        ...i,
        status: 'resolved',
        resolvedAt: now.toISOString(),
        resolvedBy: user,
        ...(summary ? { summary } : {}),
      };
    });
    if (!saved.ok) return saved;
    const i = saved.incident;
    await this.audit(i, user, 'incident.resolved', {
      ...(summary ? { summary } : {}),
      durationMs: now.getTime() - Date.parse(i.startedAt),
    });
    await this.messenger.refreshCard(i.id);
    await this.messenger.say(i.channelId, resolvedText(i, now, 'incident channel'));
    if (i.announcement)
      await this.messenger.say(i.announcement.channel, resolvedText(i, now, 'announcement'), {
        ts: i.announcement.ts,
      });
    if (i.paging.via === 'pagerduty' && ['paged', 'pending', 'retrying'].includes(i.paging.status)) {
      await enqueuePage(this.deps.queue, i.id, 'resolve');
    }
    if (i.statuspage) await enqueueStatuspage(this.deps.queue, i.id, 'resolve');
    await enqueuePostmortem(this.deps.queue, i.id);
    return saved;
  }

  get(incidentId: string): Promise<Incident | null> {
    return this.deps.incidents.get(incidentId);
  }

  inChannel(channelId: string): Promise<Incident | null> {
    return this.deps.incidents.byChannel(channelId);
  }

  listOpen(): Promise<Incident[]> {
    return this.deps.incidents.listOpen();
  }

  // ---- from releases -------------------------------------------------------------------------

  /** The notifier's hook: the slow part runs in a job keyed by the release, so repeats are one job. */
  async requestForRelease(
    release: Release,
    ask: { severity: Incident['severity']; title: string; reason: string },
  ): Promise<void> {
    await enqueueAutoDeclare(this.deps.queue, release.id, ask);
  }

  /** Declares a release's automatic incident once, or finishes the declaration an earlier attempt began. */
  async declareForRelease(job: {
    releaseId: string;
    severity: Incident['severity'];
    title: string;
    reason: string;
  }): Promise<Incident | null> {
    const claim = await this.deps.incidents.claimRelease(job.releaseId);
    if (claim !== 'claimed' && claim.existing !== PENDING) {
      const existing = await this.deps.incidents.get(claim.existing);
      if (existing) return finishDeclaration(this.deps, this.messenger, existing);
    }
    // Claimed now, or PENDING: an earlier attempt of this (one) job stopped before the incident existed.
    const release = await this.deps.releases.get(job.releaseId);
    if (!release) {
      this.deps.log.warn(
        { releaseId: job.releaseId },
        'automatic incident for a release that does not exist',
      );
      return null;
    }
    return declareIncident(this.deps, {
      severity: job.severity,
      title: job.title,
      declaredBy: 'runway',
      release,
      reason: job.reason,
    });
  }

  // ---- jobs ----------------------------------------------------------------------------------

  async runJob(job: IncidentJob, attempt: Attempt): Promise<string> {
    switch (job.kind) {
      case 'declare':
        try {
          return (await this.declareForRelease(job))?.id ?? 'no release';
        } catch (error) {
          if (attempt.attempt >= attempt.of) await this.tellReleaseThread(job, error);
          throw error;
        }
      case 'finish': {
        const incident = await this.deps.incidents.get(job.incidentId);
        if (!incident) return 'no such incident';
        await finishDeclaration(this.deps, this.messenger, incident);
        return 'declared';
      }
      case 'page':
        return runPageJob(this.deps, this.messenger, job, attempt);
      case 'remind':
        return runReminderJob(this.deps, this.messenger, job);
      case 'statuspage':
        return runStatuspageJob(this.deps, this.messenger, job, attempt);
      case 'postmortem':
        return runPostmortemJob(this.deps, job);
    }
  }

  /** The last attempt at an automatic declaration failed: the release thread must hear it. */
  private async tellReleaseThread(
    job: { releaseId: string; severity: Incident['severity']; title: string },
    error: unknown,
  ): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.deps.audit.append({
      actor: 'runway',
      action: 'incident.declare_failed',
      releaseId: job.releaseId,
      details: { severity: job.severity, title: job.title, error: message },
    });
    const card = (await this.deps.releases.get(job.releaseId))?.card;
    if (!card) return;
    await this.messenger
      .say(
        card.channel,
        `🚨 Runway could not declare the ${job.severity} incident for this release (${message}). Declare it by hand: \`/incident declare ${job.severity} ${job.title}\``,
        { ts: card.ts },
      )
      .catch((err: unknown) =>
        this.deps.log.error({ releaseId: job.releaseId, err }, 'could not tell the release thread'),
      );
  }

  private async audit(
    i: Incident,
    actor: string,
    action: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.audit.append({
      actor,
      action,
      incidentId: i.id,
      ...(i.release
        ? { releaseId: i.release.id, service: i.release.service, environment: i.release.environment }
        : {}),
      details,
    });
  }
}
