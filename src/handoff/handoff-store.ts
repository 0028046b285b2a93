// What handoffs remember in Redis: when the last shift handoff went out (for "releases since the last
// handoff"), which scheduled slots were posted, and which releases got their release handoff.
import type { Redis } from 'ioredis';
import type { StoreKeys } from '../store/keys.ts';

/** How long a claim to post a release handoff holds before another attempt may post it. */
const CLAIM_TTL_SECONDS = 120;
const MARK_TTL_SECONDS = 30 * 24 * 3600;

export class HandoffStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  lastShift(): Promise<string | null> {
    return this.redis.get(this.keys.handoffLast());
  }

  async setLastShift(at: string): Promise<void> {
    await this.redis.set(this.keys.handoffLast(), at);
  }

  async slotPosted(slot: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.handoffSlot(slot))) === 1;
  }

  async markSlot(slot: string): Promise<void> {
    await this.redis.set(this.keys.handoffSlot(slot), '1', 'EX', MARK_TTL_SECONDS);
  }

  async releasePosted(releaseId: string): Promise<boolean> {
    return (await this.redis.get(this.keys.releaseHandoff(releaseId))) === '1';
  }

  /**
   * Claim the right to post a release's handoff: 'claimed' (go ahead), 'posted' (already done) or
   * 'busy' (someone is posting it now). A claim expires, so a poster that crashed is retried.
   */
  async claimRelease(releaseId: string): Promise<'claimed' | 'posted' | 'busy'> {
    const key = this.keys.releaseHandoff(releaseId);
    if ((await this.redis.set(key, 'posting', 'EX', CLAIM_TTL_SECONDS, 'NX')) === 'OK') return 'claimed';
    return (await this.redis.get(key)) === '1' ? 'posted' : 'busy';
  }

  /** Gives back a claim whose post failed (nothing was posted), so the retry can claim it again. */
  async unclaimRelease(releaseId: string): Promise<void> {
    await this.redis.eval(
      "if redis.call('GET', KEYS[1]) == 'posting' then return redis.call('DEL', KEYS[1]) end return 0",
      1,
      this.keys.releaseHandoff(releaseId),
    );
  }

  async markRelease(releaseId: string): Promise<void> {
    await this.redis.set(this.keys.releaseHandoff(releaseId), '1', 'EX', MARK_TTL_SECONDS);
  }
}
