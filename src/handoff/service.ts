// Posts handoffs to the on-call channel: the release handoff when a release completes (the notifier's
// hook), and the shift handoff on the schedule (one job per slot) or on /handoff. A handoff is built
// from Redis at the moment it is posted, so it says what is true then.
import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import type { IncidentStore } from '../incidents/incident-store.ts';
import type { Release } from '../release/types.ts';
import type { AuditLog } from '../store/audit-log.ts';
import type { ReleaseStore } from '../store/release-store.ts';
import type { ChannelResolver } from '../slack/channels.ts';
import type { SlackDelivery } from '../slack/delivery/service.ts';
import type { Post } from '../slack/delivery/types.ts';
import { releaseHandoffMessage } from '../slack/views/handoff-release.ts';
import { shiftHandoffMessage } from '../slack/views/handoff-shift.ts';
import { linkBase } from '../slack/workspace-url.ts';
import { handoffChecklist } from './checklist.ts';
import type { HandoffStore } from './handoff-store.ts';
import { onCallChannels } from './oncall-channels.ts';
import type { Changelog } from '../insight/changelog.ts';
import { listTargets } from '../config/targets.ts';
import { incidentFreezes } from '../release/start-guards.ts';

export interface HandoffDeps {
  /** Only asked where the workspace is (links in the handoff); posts go through `delivery`. */
  client: WebClient;
  /** Handoffs are queued in the on-call channel's own lane: a busy #releases never delays them. */
  delivery: Pick<SlackDelivery, 'post'>;
  /** Where a release's thread replies go: under its card, or under it by name while it waits in its lane. */
  releaseThread(release: Release): Promise<{ channel: string; thread: Post['thread'] }>;
  channels: ChannelResolver;
  releases: ReleaseStore;
  incidents: IncidentStore;
  store: HandoffStore;
  audit: AuditLog;
  runbook: () => RunbookContext;
  log: Logger;
  now: () => Date;
  /** The release's changelog, when it has one (insight). */
  changelog?: (releaseId: string) => Promise<Changelog | null>;
}

export type HandoffMessage = { text: string; blocks: ReturnType<typeof shiftHandoffMessage>['blocks'] };

/** Releases ended within this window are shown when no handoff was posted before. */
const FIRST_WINDOW_MS = 24 * 3600_000;
const HISTORY_SCAN = 200;

export class HandoffService {
  constructor(private readonly deps: HandoffDeps) {}

  /** The release handoff of a completed release, once per release. */
  async postReleaseHandoff(release: Release): Promise<void> {
    if (release.dryRun) return;
    const claim = await this.deps.store.claimRelease(release.id);
    if (claim === 'posted') return;
    if (claim === 'busy') throw new Error(`the handoff of ${release.id} is being posted by another process`);
    const ctx = this.deps.runbook();
    const resolved = ctx.resolve(release.service, release.environment);
    const configured = resolved.channels.on_call;
    const changelog = this.deps.changelog ? await this.deps.changelog(release.id) : null;
    const message = releaseHandoffMessage({
      release,
      ...(changelog ? { changelog } : {}),
      links: { ...(ctx.runbook.handoff?.links ?? {}), ...resolved.links },
      onCallContact: resolved.onCallContact,
      now: this.deps.now(),
      linkBase: await linkBase(this.deps.client),
    });
    // No on-call channel: the handoff goes in the release thread rather than nowhere (queued behind
    // the card if the card itself has not been posted yet).
    const { channel, thread } = configured
      ? { channel: await this.resolveOrUnclaim(release.id, () => this.deps.channels.resolve(configured)) }
      : await this.resolveOrUnclaim(release.id, () => this.deps.releaseThread(release));
    try {
      // Queued once (its key); the audit entry is written when Slack has it.
      await this.deps.delivery.post({
        key: `handoff-${release.id}`,
        channel,
        text: message.text,
        blocks: message.blocks,
        kind: 'important',
        ...(thread ? { thread } : {}),
        audit: {
          action: 'handoff.release_posted',
          releaseId: release.id,
          service: release.service,
          environment: release.environment,
          details: { channel },
        },
      });
    } catch (error) {
      await this.deps.store.unclaimRelease(release.id); // nothing was queued: the retry may try again
      throw error;
    }
    await this.deps.store.markRelease(release.id);
  }

  private async resolveOrUnclaim<T>(releaseId: string, where: () => Promise<T>): Promise<T> {
    try {
      return await where();
    } catch (error) {
      await this.deps.store.unclaimRelease(releaseId);
      throw error;
    }
  }

  /** The shift handoff as it would be posted now (`preview`: as `/handoff preview` shows it to `by`). */
  async buildShift(by: string | null, options: { preview?: boolean } = {}): Promise<HandoffMessage> {
    const ctx = this.deps.runbook();
    const now = this.deps.now();
    const since = await this.deps.store.lastShift();
    const from = since ? Date.parse(since) : now.getTime() - FIRST_WINDOW_MS;
    const [history, active, incidents, freezes] = await Promise.all([
      this.deps.releases.history(undefined, HISTORY_SCAN),
      this.deps.releases.listActive(),
      this.deps.incidents.listOpen(),
      this.deps.releases.listFreezes(),
    ]);
    const handoff = ctx.runbook.handoff;
    return shiftHandoffMessage({
      now,
      timezone: handoff?.timezone ?? 'UTC',
      since,
      finished: history.filter((r) => !r.dryRun && r.endedAt !== undefined && Date.parse(r.endedAt) > from),
      active: active.filter((r) => !r.dryRun),
      incidents,
      freezes,
      incidentFreezes: incidentFreezes(
        listTargets(ctx.runbook).map((t) => ({
          ...t,
          setting: ctx.resolve(t.service, t.environment).freezeOnIncident,
        })),
        incidents,
      ),
      checklist: handoffChecklist(handoff?.checklist),
      links: handoff?.links ?? {},
      by,
      ...(options.preview ? { preview: true } : {}),
      linkBase: await linkBase(this.deps.client),
    });
  }

  /** Posts the shift handoff to every on-call channel; returns their ids. */
  async postShift(
    by: string | null,
    slot?: string,
  ): Promise<{ ok: true; channels: string[] } | { ok: false; reason: string }> {
    const configured = onCallChannels(this.deps.runbook());
    if (configured.length === 0)
      return {
        ok: false,
        reason:
          'The runbook names no on-call channel (`channels.on_call`), so there is nowhere to post the handoff.',
      };
    const message = await this.buildShift(by);
    const posted: string[] = [];
    // One key per slot (a retried slot job queues it once); a /handoff is its own.
    const batch = slot ? `slot-${slot}` : randomUUID();
    for (const name of configured) {
      const channel = await this.deps.channels.resolve(name);
      await this.deps.delivery.post({
        key: `shift-${batch}-${channel}`,
        channel,
        text: message.text,
        blocks: message.blocks,
        kind: 'important',
      });
      posted.push(channel);
    }
    await this.deps.store.setLastShift(this.deps.now().toISOString());
    await this.deps.audit.append({
      actor: by ?? 'runway',
      action: 'handoff.posted',
      details: { channels: posted, trigger: by ? 'command' : 'schedule', ...(slot ? { slot } : {}) },
    });
    return { ok: true, channels: posted };
  }

  /** A scheduled slot: posted once, whichever process's job runs it and however often it is retried. */
  async runSlot(slot: string): Promise<string> {
    if (await this.deps.store.slotPosted(slot)) return 'already posted';
    const result = await this.postShift(null, slot);
    if (!result.ok) {
      this.deps.log.warn({ slot }, result.reason);
      return 'no on-call channel';
    }
    await this.deps.store.markSlot(slot);
    return 'posted';
  }
}
