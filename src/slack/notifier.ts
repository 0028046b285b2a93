// Turns what the engine says must reach people into posts and card edits for the delivery layer
// (src/slack/delivery): the card is queued once in its channel's lane, thread replies queue behind
// it in the same lane (so they keep their order and land under it), and card edits go to the
// workspace's chat.update budget, rendered from the release as it is when their turn comes.
import type { Logger } from '../log.ts';
import type { Notification, Notifier } from '../engine/notifier.ts';
import type { Engine } from '../engine/engine.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import type { Release } from '../release/types.ts';
import type { ChannelResolver } from './channels.ts';
import type { SlackDelivery } from './delivery/service.ts';
import type { CardRender, MessageRef, Post } from './delivery/types.ts';
import { releaseCard } from './views/release-card.ts';
import { MissingChannelError } from './channels.ts';
import { classifyDelivery } from './slack-errors.ts';
import { truncate } from './blockkit.ts';
import { cardSignature } from './card-signature.ts';
import { noteKind } from './delivery/note-kind.ts';
import { threadText } from './views/release-thread.ts';
import { threadBlocks } from './views/promotion.ts';
import type { Changelog } from '../insight/changelog.ts';

export interface SlackNotifierDeps {
  delivery: SlackDelivery;
  channels: ChannelResolver;
  engine: Engine;
  runbook: () => RunbookContext;
  log: Logger;
  /** Release handoffs and incidents are delivered by these when present (incidents issue). */
  onHandoff?: (release: Release) => Promise<void>;
  onIncident?: (
    release: Release,
    effect: Extract<Notification['effect'], { type: 'declareIncident' }>,
  ) => Promise<void>;
  now?: () => Date;
  /** The release's changelog for its card, once found (insight). */
  changelog?: (releaseId: string) => Promise<Changelog | null>;
}

/** The delivery layer's name for a release card's place (the ref its thread replies go under). */
export const cardRef = (releaseId: string): string => `card-${releaseId}`;
const CARD_KIND = 'release';

export class SlackNotifier implements Notifier {
  constructor(private readonly deps: SlackNotifierDeps) {
    deps.delivery.renderCards(CARD_KIND, (id) => this.renderCard(id));
  }

  /** Slack's permanent refusals leave as PermanentDeliveryError: the notify job knows no Slack codes. */
  deliver(note: Notification, release: Release): Promise<void> {
    return classifyDelivery(() => this.deliverTo(note, release));
  }

  private async deliverTo(note: Notification, release: Release): Promise<void> {
    switch (note.effect.type) {
      case 'updateCard':
        await this.updateCard(release);
        return;
      case 'postInThread': {
        const place = await this.cardPlace(release);
        const text = truncate(threadText(note.effect.note), 3900);
        const blocks = threadBlocks(note.effect.note, text, release.id);
        await this.deps.delivery.post({
          key: note.key,
          channel: place.channel,
          thread: place.thread,
          text,
          ...(blocks ? { blocks } : {}),
          kind: noteKind(note.effect.note),
          foldKey: release.id,
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

  /** Render the card from the release as it is now (a delayed refresh queued before this layer). */
  async refreshCard(release: Release): Promise<void> {
    await this.updateCard(release);
  }

  /** Where a release's thread replies go (insight notes and charts): the card is queued first if need be. */
  threadPlace(release: Release): Promise<{ channel: string; thread: Post['thread'] }> {
    return this.cardPlace(release);
  }

  /** The card was posted: remember it on the release, and show its latest state. */
  async cardPosted(post: Post, where: MessageRef): Promise<void> {
    const releaseId = post.saveAs?.startsWith('card-') ? post.saveAs.slice('card-'.length) : null;
    if (!releaseId) return;
    await this.deps.engine.attachCard(releaseId, where);
    await this.deps.delivery.cardChanged(`${CARD_KIND}-${releaseId}`, '');
  }

  private async updateCard(release: Release): Promise<void> {
    if (!release.card && !(await this.deps.delivery.ref(cardRef(release.id)))) {
      await this.cardPlace(release); // the card is queued with the state it has now
      return;
    }
    await this.deps.delivery.cardChanged(`${CARD_KIND}-${release.id}`, cardSignature(release));
  }

  private async renderCard(releaseId: string): Promise<CardRender | null> {
    const release = await this.deps.engine.get(releaseId);
    const card = release?.card ?? (await this.deps.delivery.ref(cardRef(releaseId)));
    if (!release || !card) return null;
    const view = releaseCard(release, await this.cardOptions(release.id));
    return { ...card, text: view.text, blocks: view.blocks, sig: cardSignature(release) };
  }

  /** Where the card and its thread are: queued once, before any of its replies, in the same lane. */
  private async cardPlace(release: Release): Promise<{ channel: string; thread: Post['thread'] }> {
    if (release.card) return { channel: release.card.channel, thread: { ts: release.card.ts } };
    const posted = await this.deps.delivery.ref(cardRef(release.id));
    if (posted) return { channel: posted.channel, thread: { ts: posted.ts } };
    const { channel, warning } = await this.cardChannel(release);
    const view = releaseCard(release, await this.cardOptions(release.id));
    await this.deps.delivery.post({
      key: cardRef(release.id),
      channel,
      text: view.text,
      blocks: view.blocks,
      kind: 'important',
      saveAs: cardRef(release.id),
      foldKey: release.id, // names the release if Slack refuses the card (its audit entry)
    });
    const thread = { ref: cardRef(release.id) };
    if (warning)
      await this.deps.delivery.post({
        key: `${cardRef(release.id)}-warning`,
        channel,
        thread,
        text: warning,
        kind: 'important',
        foldKey: release.id,
      });
    return { channel, thread };
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

  private async cardOptions(releaseId: string): Promise<{ now: Date; changelog?: Changelog }> {
    const changelog = this.deps.changelog ? await this.deps.changelog(releaseId) : null;
    return { now: this.now(), ...(changelog ? { changelog } : {}) };
  }

  private now(): Date {
    return this.deps.now ? this.deps.now() : new Date();
  }
}
