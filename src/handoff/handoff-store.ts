// What handoffs remember in Redis: when the last shift handoff went out (for "releases since the last
// handoff"), which scheduled slots were posted, and which releases got their release handoff.
import type { Redis } from 'ioredis';
import type { StoreKeys } from '../store/keys.ts';

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
    return (await this.redis.exists(this.keys.releaseHandoff(releaseId))) === 1;
  }

  async markRelease(releaseId: string): Promise<void> {
    await this.redis.set(this.keys.releaseHandoff(releaseId), '1', 'EX', MARK_TTL_SECONDS);
  }
}
