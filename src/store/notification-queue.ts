// Each release's notifications (card edits, thread posts, handoff, incident) wait in a Redis list, in
// order, until one process delivers them. This module is the Redis side of that: push, take a drain
// lock, read the head, remember what was delivered, and end a round atomically (see the Lua files).
import type { Redis } from 'ioredis';
import type { Notification } from '../engine/notifier.ts';
import type { StoreKeys } from './keys.ts';
import { runScript, scripts } from './scripts.ts';
import { takeLock } from './token-lock.ts';

/** How long a delivered notification's key is remembered (a repeat within it is dropped). */
const DELIVERED_TTL_SECONDS = 7 * 24 * 3600;

export class NotificationQueue {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  /** Appends notifications in order; true when the list was empty, i.e. nobody will drain them yet. */
  async push(releaseId: string, notes: Notification[]): Promise<boolean> {
    if (notes.length === 0) return false;
    const before = await runScript(
      this.redis,
      scripts.pushNotifications,
      [this.keys.notifyPending(), this.keys.notifyList(releaseId)],
      [releaseId, ...notes.map((n) => JSON.stringify(n))],
    );
    return Number(before) === 0;
  }

  /** The drain lock: a token when taken, null when another process is draining this release. */
  async lock(releaseId: string, ttlMs: number): Promise<string | null> {
    return takeLock(this.redis, this.keys.notifyLock(releaseId), ttlMs);
  }

  /** Up to `count` notifications from the head of the list, each with whether it was delivered before. */
  async head(releaseId: string, count: number): Promise<{ note: Notification; delivered: boolean }[]> {
    const raws = await this.redis.lrange(this.keys.notifyList(releaseId), 0, count - 1);
    if (raws.length === 0) return [];
    const notes = raws.map((raw) => JSON.parse(raw) as Notification);
    const marks = await this.redis.mget(notes.map((n) => this.keys.delivered(n.key)));
    return notes.map((note, i) => ({ note, delivered: marks[i] !== null }));
  }

  /** Remember one delivery before moving on, so a crash right after it does not deliver it again. */
  async markDelivered(key: string): Promise<void> {
    await this.redis.set(this.keys.delivered(key), '1', 'EX', DELIVERED_TTL_SECONDS);
  }

  /** Counts a failed delivery of one notification; returns how many so far (kept a day). */
  async countFailure(key: string): Promise<number> {
    const counter = this.keys.notifyFailures(key);
    const [[, n]] = (await this.redis
      .multi()
      .incr(counter)
      .expire(counter, 24 * 3600)
      .exec()) as [[unknown, number]];
    return n;
  }

  /** Drops `handled` notifications from the head, lets go of the lock; returns how many are left. */
  async finishRound(releaseId: string, handled: number, token: string): Promise<number> {
    const left = await runScript(
      this.redis,
      scripts.finishDrain,
      [this.keys.notifyPending(), this.keys.notifyList(releaseId), this.keys.notifyLock(releaseId)],
      [releaseId, String(handled), token],
    );
    return Number(left);
  }

  /** Releases with notifications waiting and nobody draining them now (after a crash or given-up job). */
  async stranded(): Promise<string[]> {
    const ids = await this.redis.smembers(this.keys.notifyPending());
    if (ids.length === 0) return [];
    const locks = await this.redis.mget(ids.map((id) => this.keys.notifyLock(id)));
    return ids.filter((_id, i) => locks[i] === null);
  }
}
