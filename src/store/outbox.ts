// The outbox: each decision's effects, written with the release (release-store.ts), taken here by the
// one dispatcher holding the release's dispatch lock, and dropped once handled.
import type { Redis } from 'ioredis';
import type { Effect } from '../release/types.ts';
import type { InsightEffect } from '../insight/triggers.ts';
import type { StoreKeys } from './keys.ts';
import { runScript, scripts } from './scripts.ts';
import { asStrings } from './release-codec.ts';

/** What a batch carries: the machine's effects and the insight work derived from the same decision. */
export type OutboxEffect = Effect | InsightEffect;

export interface OutboxBatch {
  /** The exact stored text, to hand back to finish. */
  raw: string;
  /** `<releaseId>-r<rev>`: deterministic, so a re-dispatched batch can reuse its job ids. */
  batchId: string;
  effects: OutboxEffect[];
}

export class Outbox {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  /** Ids of releases with effects not yet acknowledged. */
  pending(): Promise<string[]> {
    return this.redis.smembers(this.keys.outbox());
  }

  /**
   * Takes the release's dispatch lock and reads its pending batches in one round trip; null when
   * another dispatcher holds the lock. End with finish, whatever happens.
   */
  async claim(releaseId: string, token: string, ttlMs: number): Promise<OutboxBatch[] | null> {
    const reply = await runScript(
      this.redis,
      scripts.claimOutbox,
      [this.keys.flushLock(releaseId), this.keys.releaseOutbox(releaseId)],
      [token, String(ttlMs)],
    );
    if (reply === null) return null;
    return asStrings(reply).map((raw) => {
      const { batchId, effects } = JSON.parse(raw) as { batchId: string; effects: OutboxEffect[] };
      return { raw, batchId, effects };
    });
  }

  /** Drops the `handled` oldest batches and lets go of the lock (if still ours); returns how many are left. */
  async finish(releaseId: string, handled: number, token: string): Promise<number> {
    const reply = await runScript(
      this.redis,
      scripts.finishDrain,
      [this.keys.outbox(), this.keys.releaseOutbox(releaseId), this.keys.flushLock(releaseId)],
      [releaseId, String(handled), token],
    );
    return Number(reply);
  }
}
