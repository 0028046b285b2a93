// Delivers what the engine says must reach people to Slack: the card is posted once, then edited in
// place (at most one chat.update per card per second — later changes are coalesced into a delayed
// refresh that renders the latest state); thread replies go under the card, in order.
import { threadText } from './views/release-thread.ts';
import { threadBlocks } from './views/promotion.ts';
import type { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import type { Notification, Notifier } from '../engine/notifier.ts';
import type { Engine } from '../engine/engine.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import type { Release } from '../release/types.ts';
import type { StoreKeys } from '../store/keys.ts';
import type { ChannelResolver } from './channels.ts';
import { releaseCard } from './views/release-card.ts';
import { MissingChannelError } from './channels.ts';
import { truncate } from './blockkit.ts';

/** At most one card edit per this many ms (Slack: chat.update is tier 3, ~50/min per workspace). */
export const CARD_UPDATE_INTERVAL_MS = 1000;

export interface SlackNotifierDeps {
  client: WebClient;
  channels: ChannelResolver;
  engine: Engine;
  runbook: () => RunbookContext;
  redis: Redis;
  keys: StoreKeys;
  log: Logger;
  /** Schedule a card refresh for later (a delayed job), deduplicated per window. */
  scheduleRefresh(releaseId: string, delayMs: number): Promise<void>;
  /** Release handoffs and incidents are delivered by these when present (incidents issue). */
  onHandoff?: (release: Release) => Promise<void>;
  onIncident?: (
    release: Release,
    effect: Extract<Notification['effect'], { type: 'declareIncident' }>,
  ) => Promise<void>;
  now?: () => Date;
}

export class SlackNotifier implements Notifier {
  constructor(private readonly deps: SlackNotifierDeps) {}

  async deliver(note: Notification, release: Release): Promise<void> {
    switch (note.effect.type) {
      case 'updateCard':
        await this.updateCard(release);
        return;
      case 'postInThread': {
        const card = await this.ensureCard(release);
        const text = truncate(threadText(note.effect.note), 3900);
        const blocks = threadBlocks(note.effect.note, text, release.id);
        await this.deps.client.chat.postMessage({
          channel: card.channel,
          thread_ts: card.ts,
          text,
          ...(blocks ? { blocks } : {}),
          unfurl_links: false,
        });
        return;
      }
      case 'postHandoff':
        if (this.deps.onHandoff) await this.deps.onHandoff(release);
        else this.deps.log.info({ releaseId: release.id }, 'release handoff (no handoff poster configured)');
        return;
      case 'declareIncident':
        if (this.deps.onIncident) await this.deps.onIncident(release, note.effect);
        else
          this.deps.log.warn(
            { releaseId: release.id, severity: note.effect.severity },
            'incident to declare (no incident service configured)',
          );
        return;
    }
  }

  /** Render the card from the release as it is now; throttled per card. */
  async refreshCard(release: Release): Promise<void> {
    await this.updateCard(release);
  }

  private async updateCard(release: Release): Promise<void> {
    if (!release.card) {
      await this.ensureCard(release);
      return;
    }
    const throttle = this.deps.keys.cardThrottle(release.id);
    const free = await this.deps.redis.set(throttle, '1', 'PX', CARD_UPDATE_INTERVAL_MS, 'NX');
    if (free !== 'OK') {
      const wait = Math.max(50, await this.deps.redis.pttl(throttle));
      await this.deps.scheduleRefresh(release.id, wait);
      return;
    }
    const view = releaseCard(release, { now: this.now() });
    await this.deps.client.chat.update({
      channel: release.card.channel,
      ts: release.card.ts,
      text: view.text,
      blocks: view.blocks,
    });
  }

  /** The card's place, posting it first when it does not exist yet. */
  private async ensureCard(release: Release): Promise<{ channel: string; ts: string }> {
    if (release.card) return release.card;
    const fresh = await this.deps.engine.get(release.id);
    if (fresh?.card) return fresh.card;
    const { channel, warning } = await this.cardChannel(release);
    const view = releaseCard(fresh ?? release, { now: this.now() });
    const posted = await this.deps.client.chat.postMessage({
      channel,
      text: view.text,
      blocks: view.blocks,
      unfurl_links: false,
    });
    if (!posted.ts || !posted.channel)
      throw new Error('chat.postMessage returned no ts for the release card');
    // The engine decides where the card lives (a cardPosted event, the first one wins): after a race
    // with another deliverer, the thread goes under the card it kept.
    const card = (await this.deps.engine.attachCard(release.id, { channel: posted.channel, ts: posted.ts }))
      ?.card ?? { channel: posted.channel, ts: posted.ts };
    await this.deps.redis.set(this.deps.keys.cardThrottle(release.id), '1', 'PX', CARD_UPDATE_INTERVAL_MS);
    if (warning)
      await this.deps.client.chat.postMessage({ channel: card.channel, thread_ts: card.ts, text: warning });
    return card;
  }

  /**
   * Where the card goes: the runbook's releases channel; when that channel does not exist, the
   * channel /release start was typed in, with a warning in the thread (a release must not run with
   * no card anywhere).
   */
  private async cardChannel(release: Release): Promise<{ channel: string; warning?: string }> {
    const configured = this.deps.runbook().resolve(release.service, release.environment).channels.releases;
    if (configured) {
      try {
        return { channel: await this.deps.channels.resolve(configured) };
      } catch (error) {
        if (!(error instanceof MissingChannelError) || !release.originChannel) throw error;
        this.deps.log.warn(
          { releaseId: release.id, err: error.message },
          'releases channel missing; the card goes where /release start was typed',
        );
        return {
          channel: await this.deps.channels.resolve(release.originChannel),
          warning: `:warning: ${error.message} This card is posted here instead.`,
        };
      }
    }
    // Where /release start was typed: join it first when public (Slack answers not_in_channel otherwise).
    if (release.originChannel) return { channel: await this.deps.channels.resolve(release.originChannel) };
    throw new Error(
      `release ${release.id} has no releases channel in the runbook and no channel it was started from`,
    );
  }

  private now(): Date {
    return this.deps.now ? this.deps.now() : new Date();
  }
}
