// Per-channel lanes in Redis: each channel's pending posts in order, one drainer at a time per
// channel (a lock), so a busy #releases never holds up #on-call or an incident channel.
import type { Redis } from 'ioredis';
import { runScript } from '../../store/scripts.ts';
import type { DeliveryKeys } from './keys.ts';
import { deliveryScripts } from './scripts.ts';
import { postSchema, type MessageRef, type Post, type PostInput, type QueuedPost } from './types.ts';
import { takeLock } from '../../store/token-lock.ts';

/** How long a queued post's key is remembered: a repeat within it is dropped. */
const QUEUED_TTL_SECONDS = 7 * 24 * 3600;
/** How long a crashed drainer's "was sending" note is looked at. */
const INFLIGHT_TTL_SECONDS = 3600;

export interface SendingNote {
  keys: string[];
  text?: string;
  at: number;
  afterTs?: string;
}

export class Lanes {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeliveryKeys,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues a post at the tail of its channel's lane; false when its key was queued before. */
  async push(input: PostInput): Promise<boolean> {
    const post: Post = postSchema.parse({ ...input, at: this.now() });
    const added = await runScript(
      this.redis,
      deliveryScripts.pushPost,
      [this.keys.lane(post.channel), this.keys.lanes(), this.keys.queued(post.key)],
      [post.channel, JSON.stringify(post), String(QUEUED_TTL_SECONDS)],
    );
    return Number(added) === 1;
  }

  /** Queues a file post: its bytes first (a repeat rewrites the same bytes), then the post. */
  async pushFile(input: PostInput, content: Buffer): Promise<boolean> {
    await this.redis.set(this.keys.file(input.key), content, 'EX', QUEUED_TTL_SECONDS);
    return this.push(input);
  }

  /** The bytes of a queued file post (null once shared, or if they expired). */
  fileContent(key: string): Promise<Buffer | null> {
    return this.redis.getBuffer(this.keys.file(key));
  }

  /** The bytes are not needed once the post is shared or set aside. */
  async dropFiles(items: readonly QueuedPost[]): Promise<void> {
    const keys = items.filter((i) => i.post.file).map((i) => this.keys.file(i.post.key));
    if (keys.length > 0) await this.redis.del(...keys);
  }

  async lock(channel: string, ttlMs: number): Promise<string | null> {
    return takeLock(this.redis, this.keys.laneLock(channel), ttlMs);
  }

  async renew(channel: string, token: string, ttlMs: number): Promise<boolean> {
    const ok = await runScript(
      this.redis,
      deliveryScripts.renewLock,
      [this.keys.laneLock(channel)],
      [token, String(ttlMs)],
    );
    return Number(ok) === 1;
  }

  /** The first `count` posts of a lane, and the lane's length. */
  async head(channel: string, count: number): Promise<{ window: QueuedPost[]; depth: number }> {
    const [[, raws], [, depth]] = (await this.redis
      .multi()
      .lrange(this.keys.lane(channel), 0, count - 1)
      .llen(this.keys.lane(channel))
      .exec()) as [[unknown, string[]], [unknown, number]];
    return { window: raws.map((raw) => ({ raw, post: postSchema.parse(JSON.parse(raw)) })), depth };
  }

  /** Drops delivered posts; false when the lock was lost meanwhile (the new holder has them). */
  async remove(channel: string, token: string, items: readonly QueuedPost[]): Promise<boolean> {
    const ok = await runScript(
      this.redis,
      deliveryScripts.removePosts,
      [this.keys.lane(channel), this.keys.laneLock(channel)],
      [token, ...items.map((i) => i.raw)],
    );
    return Number(ok) === 1;
  }

  /** Lets go of the lock; returns how many posts are still waiting. */
  async release(channel: string, token: string): Promise<number> {
    const left = await runScript(
      this.redis,
      deliveryScripts.releaseLane,
      [this.keys.lane(channel), this.keys.laneLock(channel), this.keys.lanes()],
      [token, channel],
    );
    return Number(left);
  }

  /** Notes the post about to be sent; a drainer taking over after a crash checks Slack for it first. */
  async sending(channel: string, note: { keys: string[]; text: string }): Promise<void> {
    const value = JSON.stringify({ ...note, at: this.now() });
    await this.redis.set(this.keys.inflight(channel), value, 'EX', INFLIGHT_TTL_SECONDS);
  }

  /**
   * The post a drainer was sending when it stopped or got no answer (it may or may not have reached
   * Slack): the keys it carried, the text it sent, when, and the lane's last delivered message before it.
   */
  async wasSending(channel: string): Promise<SendingNote | null> {
    const [raw, lastTs] = await this.redis.mget(this.keys.inflight(channel), this.keys.lastPosted(channel));
    if (!raw) return null;
    // A note from before `keys` and `text` were kept names the head only.
    const note = JSON.parse(raw) as { key?: string; keys?: string[]; text?: string; at: number };
    return {
      keys: note.keys ?? (note.key ? [note.key] : []),
      ...(note.text !== undefined ? { text: note.text } : {}),
      at: note.at,
      ...(lastTs ? { afterTs: lastTs } : {}),
    };
  }

  /** Slack answered that it did not take the post (a 429, an error reply): nothing to look for later. */
  async notTaken(channel: string): Promise<void> {
    await this.redis.del(this.keys.inflight(channel));
  }

  /**
   * A keyed postNow is about to be sent: when its first unanswered attempt was (ms), if there was
   * one. The first is kept, so a look for what Slack took covers every attempt since.
   */
  async sendingNow(key: string): Promise<number | null> {
    const k = this.keys.inflightNow(key);
    const earlier = await this.redis.get(k);
    if (earlier === null) await this.redis.set(k, String(this.now()), 'EX', INFLIGHT_TTL_SECONDS);
    return earlier === null ? null : Number(earlier);
  }

  /** A keyed postNow got its answer. */
  async sentNow(key: string): Promise<void> {
    await this.redis.del(this.keys.inflightNow(key));
  }

  /** The post is delivered (at `ts`, when Slack said): a later look starts after it. */
  async sent(channel: string, ts?: string): Promise<void> {
    const tx = this.redis.multi().del(this.keys.inflight(channel));
    if (ts) tx.set(this.keys.lastPosted(channel), ts, 'EX', INFLIGHT_TTL_SECONDS);
    await tx.exec();
  }

  /** Transient failures in a row on this lane (for its backoff); reset on a delivery. */
  async failed(channel: string): Promise<number> {
    const key = this.keys.laneFailures(channel);
    const [[, n]] = (await this.redis.multi().incr(key).expire(key, 3600).exec()) as [[unknown, number]];
    return n;
  }

  async succeeded(channel: string): Promise<void> {
    await this.redis.del(this.keys.laneFailures(channel));
  }

  async saveRef(name: string, where: MessageRef): Promise<void> {
    await this.redis.set(this.keys.ref(name), JSON.stringify(where), 'EX', 30 * 24 * 3600);
  }

  async ref(name: string): Promise<MessageRef | null> {
    const raw = await this.redis.get(this.keys.ref(name));
    return raw ? (JSON.parse(raw) as MessageRef) : null;
  }

  /** Channels with posts waiting and nobody draining them (a crash, a lost job). */
  async stranded(): Promise<string[]> {
    const channels = await this.redis.smembers(this.keys.lanes());
    if (channels.length === 0) return [];
    const locks = await this.redis.mget(channels.map((c) => this.keys.laneLock(c)));
    return channels.filter((_c, i) => locks[i] === null);
  }

  /** Per channel: posts waiting and the age of the oldest (ms), for /metrics. */
  async depths(): Promise<{ channel: string; depth: number; oldestAgeMs: number }[]> {
    const channels = await this.redis.smembers(this.keys.lanes());
    const out: { channel: string; depth: number; oldestAgeMs: number }[] = [];
    for (const channel of channels) {
      const [[, depth], [, first]] = (await this.redis
        .multi()
        .llen(this.keys.lane(channel))
        .lindex(this.keys.lane(channel), 0)
        .exec()) as [[unknown, number], [unknown, string | null]];
      const at = first ? (JSON.parse(first) as { at?: number }).at : undefined;
      out.push({ channel, depth, oldestAgeMs: at ? Math.max(0, this.now() - at) : 0 });
    }
    return out;
  }
}
