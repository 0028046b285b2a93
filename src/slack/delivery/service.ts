// The Slack delivery layer: what the notifier, the handoff and the incident code hand their posts and
// card edits to, instead of calling the Web API. Posts wait in per-channel lanes in Redis and are
// drained by runway-deliver jobs at each channel's pace; card edits share the workspace's chat.update
// budget. Interactive calls (acks, response_url, views.open, Home) never come here: Bolt's own client
// makes them, and this layer's client never pauses on a 429 (deliveryClient).
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Logger } from '../../log.ts';
import { safeJobId } from '../../queue/queues.ts';
import { CardEdits } from './cards.ts';
import { drainLane } from './drain-lane.ts';
import { findPosted } from './find-posted.ts';
import { deliveryKeys } from './keys.ts';
import { Lanes } from './lanes.ts';
import type { DeliveryHooks, DeliveryObserver } from './observer.ts';
import { outcomeOf } from './outcome.ts';
import { DEFAULT_PACE, Pacer, postScope, type PaceSettings } from './pacer.ts';
import type { CardRender, MessageRef, PostInput } from './types.ts';

export const deliverJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('lane'), channel: z.string() }),
  z.object({ kind: z.literal('cards') }),
]);
export type DeliverJob = z.infer<typeof deliverJobSchema>;

/** Renders one kind of card (`release`, `incident`) from its id, as it is now. */
export type CardRenderer = (id: string) => Promise<CardRender | null>;

export interface DeliveryOptions {
  redis: Redis;
  prefix: string;
  /** The runway-deliver queue. */
  queue: Queue;
  client: WebClient;
  join(channel: string): Promise<void>;
  log: Logger;
  pace?: Partial<PaceSettings>;
  hooks?: DeliveryHooks;
  observer?: DeliveryObserver;
  /** A drainer that dies leaves its lane to another process after this (renewed while it works). */
  lockTtlMs?: number;
  maxInlineWaitMs?: number;
}

const JOB_OPTIONS = {
  removeOnComplete: true,
  removeOnFail: { age: 24 * 3600 },
  attempts: 20,
  backoff: { type: 'exponential', delay: 500 },
} as const;

export class SlackDelivery {
  readonly lanes: Lanes;
  readonly pacer: Pacer;
  readonly cards: CardEdits;
  readonly observer: DeliveryObserver;
  hooks: DeliveryHooks;
  private readonly renderers = new Map<string, CardRenderer>();
  private readonly lockTtlMs: number;
  private readonly maxInlineWaitMs: number;

  constructor(private readonly opts: DeliveryOptions) {
    const keys = deliveryKeys(opts.prefix);
    this.lanes = new Lanes(opts.redis, keys);
    this.pacer = new Pacer(opts.redis, keys, { ...DEFAULT_PACE, ...opts.pace });
    this.cards = new CardEdits(opts.redis, keys, this.pacer);
    this.observer = opts.observer ?? {};
    this.hooks = opts.hooks ?? {};
    this.lockTtlMs = opts.lockTtlMs ?? 20_000;
    this.maxInlineWaitMs = opts.maxInlineWaitMs ?? 1500;
  }

  /** Cards of ids `<kind>-…` are rendered by this. */
  renderCards(kind: string, render: CardRenderer): void {
    this.renderers.set(kind, render);
  }

  /** Queues a post in its channel's lane (once per key) and makes sure someone drains the lane. */
  async post(input: PostInput): Promise<void> {
    if (await this.lanes.push(input)) await this.kickLane(input.channel, 0, input.key);
  }

  /**
   * Queues a file to share in a channel or thread (once per key), in the same lane as posts, so it
   * keeps its place in the thread and the channel's pace; `input.text` is its comment.
   */
  async upload(input: PostInput & { file: NonNullable<PostInput['file']> }, content: Buffer): Promise<void> {
    const post = { ...input, file: { ...input.file, bytes: content.length } };
    if (await this.lanes.pushFile(post, content)) await this.kickLane(input.channel, 0, input.key);
  }

  /** A card's content changed; `sig` is its state signature (a change of it goes first). */
  async cardChanged(id: string, sig: string): Promise<void> {
    const { inMs, joined } = await this.cards.changed(id, sig);
    if (joined || inMs > 0) this.observer.deferred?.();
    await this.kickCards(inMs);
  }

  /**
   * Posts now, at the channel's pace, for a caller that needs the message's ts (an incident card, an
   * announcement). A 429 or a 5xx puts the channel on hold and throws: the caller's job retries.
   * With a `key`, a retry first looks for what an unanswered attempt may have posted (a 5xx or a
   * timeout after Slack took it), so the message is not posted twice.
   */
  async postNow(input: Omit<PostInput, 'key' | 'kind'> & { key?: string }): Promise<MessageRef> {
    const threadTs = input.thread && 'ts' in input.thread ? input.thread.ts : undefined;
    const earlier = input.key ? await this.lanes.sendingNow(input.key) : null;
    if (input.key && earlier !== null) {
      const where = { channel: input.channel, threadTs };
      const look = { text: input.text, sinceMs: earlier };
      const found = await findPosted(this.opts.client, where, look).catch(() => null);
      if (found) {
        await this.lanes.sentNow(input.key);
        return { channel: input.channel, ts: found.ts };
      }
    }
    for (;;) {
      const wait = await this.pacer.takePost(input.channel);
      if (wait === 0) break;
      if (wait > 10_000) throw new Error(`Slack asks to wait ${wait} ms before posting in ${input.channel}`);
      await sleep(wait);
    }
    try {
      const res = await this.opts.client.chat.postMessage({
        channel: input.channel,
        text: input.text,
        ...(input.blocks ? { blocks: input.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
      });
      if (!res.ts) throw new Error('chat.postMessage returned no ts');
      if (input.key) await this.lanes.sentNow(input.key);
      return { channel: res.channel ?? input.channel, ts: res.ts };
    } catch (error) {
      const outcome = outcomeOf(error);
      // Slack said no (a 429, an error reply): it has not got the post, so a retry posts without looking.
      const mayHaveTaken = outcome.type === 'transient' && outcome.mayHaveTaken;
      if (input.key && !mayHaveTaken) await this.lanes.sentNow(input.key);
      if (outcome.type === 'rate_limited') {
        this.observer.rateLimited?.('chat.postMessage');
        await this.pacer.hold(postScope(input.channel), outcome.retryAfterMs);
      } else if (outcome.type === 'transient') this.observer.retried?.(outcome.reason);
      throw error;
    }
  }

  /** For /metrics: posts waiting per channel, and cards waiting for an edit. */
  depths(): Promise<{ channel: string; depth: number; oldestAgeMs: number }[]> {
    return this.lanes.depths();
  }

  cardsWaiting(): Promise<number> {
    return this.cards.pending();
  }

  /** Where a named post landed (a release card), once delivered. */
  ref(name: string): Promise<MessageRef | null> {
    return this.lanes.ref(name);
  }

  /** The runway-deliver processor. */
  async process(job: Job): Promise<number> {
    const data = deliverJobSchema.parse(job.data);
    const common = {
      log: this.opts.log,
      sleep,
      lockTtlMs: this.lockTtlMs,
      maxInlineWaitMs: this.maxInlineWaitMs,
    };
    if (data.kind === 'cards')
      return this.cards.drain({
        ...common,
        client: this.opts.client,
        render: (id) => this.render(id),
        observer: this.observer,
        refused: (card, reason) => this.hooks.cardRefused?.(card, reason) ?? Promise.resolve(),
        reschedule: (ms) => this.kickCards(ms),
      });
    return drainLane(
      {
        ...common,
        lanes: this.lanes,
        pacer: this.pacer,
        client: this.opts.client,
        join: this.opts.join,
        hooks: this.hooks,
        observer: this.observer,
        reschedule: (channel, ms) => this.kickLane(channel, ms),
      },
      data.channel,
    );
  }

  /** Lanes and cards nobody is draining (a killed worker, a lost job) get a drain job. */
  async sweep(): Promise<void> {
    for (const channel of await this.lanes.stranded()) await this.kickLane(channel, 0, `sweep-${Date.now()}`);
    const next = await this.cards.nextDue();
    if (next !== null) await this.kickCards(next);
  }

  private async render(id: string): Promise<CardRender | null> {
    const kind = id.slice(0, id.indexOf('-'));
    const render = this.renderers.get(kind);
    if (!render) {
      this.opts.log.warn({ card: id }, 'no renderer for this card');
      return null;
    }
    return render(id.slice(kind.length + 1));
  }

  private async kickLane(channel: string, delayMs: number, tag?: string): Promise<void> {
    const due = Date.now() + delayMs;
    const id = tag ? `lane-${channel}-${tag}` : `lane-${channel}-at-${Math.ceil(due / 250)}`;
    await this.opts.queue.add(
      'lane',
      { kind: 'lane', channel },
      { ...JOB_OPTIONS, jobId: safeJobId(id), ...(delayMs > 0 ? { delay: delayMs } : {}) },
    );
  }

  private async kickCards(delayMs: number): Promise<void> {
    const due = Date.now() + delayMs;
    await this.opts.queue.add(
      'cards',
      { kind: 'cards' },
      {
        ...JOB_OPTIONS,
        jobId: `cards-at-${Math.ceil(due / 250)}`,
        ...(delayMs > 0 ? { delay: delayMs } : {}),
      },
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
