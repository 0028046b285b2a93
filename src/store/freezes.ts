// Freezes in Redis: one hash of scope (a service, or 'all') → who froze it, why and when.
import type { Redis } from 'ioredis';
import type { StoreKeys } from './keys.ts';

export interface FreezeInfo {
  by: string;
  reason: string;
  at: string;
}

export class FreezeStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
    private readonly now: () => Date,
  ) {}

  /** Freezes a service, or every service with scope 'all'. Freezing again replaces who and why. */
  async freeze(scope: string, by: string, reason: string): Promise<void> {
    const info: FreezeInfo = { by, reason, at: this.now().toISOString() };
    await this.redis.hset(this.keys.freeze(), scope, JSON.stringify(info));
  }

  /** True when the scope was frozen. */
  async unfreeze(scope: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.freeze(), scope)) === 1;
  }

  /** Lifts every freeze; returns the scopes that were frozen. */
  async unfreezeAll(): Promise<string[]> {
    const [[, scopes]] = (await this.redis
      .multi()
      .hkeys(this.keys.freeze())
      .del(this.keys.freeze())
      .exec()) as [[unknown, string[]], unknown];
    return scopes;
  }

  async list(): Promise<Record<string, FreezeInfo>> {
    const all = await this.redis.hgetall(this.keys.freeze());
    const out: Record<string, FreezeInfo> = {};
    for (const [scope, json] of Object.entries(all)) out[scope] = JSON.parse(json) as FreezeInfo;
    return out;
  }

  /** The freeze that blocks the service: its own first (its reason is the more specific), else 'all'. */
  async frozen(service: string): Promise<(FreezeInfo & { scope: string }) | null> {
    const [own, all] = await this.redis.hmget(this.keys.freeze(), service, 'all');
    if (own) return { scope: service, ...(JSON.parse(own) as FreezeInfo) };
    if (all) return { scope: 'all', ...(JSON.parse(all) as FreezeInfo) };
    return null;
  }
}
