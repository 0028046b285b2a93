// Token buckets in Redis shared by every process on it: chat.postMessage per channel (about one a
// second with a small burst) and one chat.update budget for the workspace. A 429 or a 5xx puts the
// scope on hold for Retry-After (or the backoff); takers see the hold in the same step.
import type { Redis } from 'ioredis';
import { runScript } from '../../store/scripts.ts';
import type { DeliveryKeys } from './keys.ts';
import { deliveryScripts } from './scripts.ts';

export interface PaceSettings {
  /** chat.postMessage per channel: one token per this many ms, up to `postBurst`. */
  postIntervalMs: number;
  postBurst: number;
  /** chat.update per workspace, per minute (default 45: under Slack's ~50). */
  updatesPerMinute: number;
  updateBurst: number;
}

export const DEFAULT_PACE: PaceSettings = {
  postIntervalMs: 1000,
  postBurst: 3,
  updatesPerMinute: 45,
  updateBurst: 3,
};

export const postScope = (channel: string): string => `post:${channel}`;
export const UPDATE_SCOPE = 'update';

export class Pacer {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeliveryKeys,
    readonly settings: PaceSettings = DEFAULT_PACE,
  ) {}

  /** 0 when a post to this channel may go now (its token is spent), else ms to wait. */
  takePost(channel: string): Promise<number> {
    return this.take(postScope(channel), this.settings.postIntervalMs, this.settings.postBurst);
  }

  /** 0 when a chat.update may go now, else ms to wait. */
  takeUpdate(): Promise<number> {
    return this.take(UPDATE_SCOPE, 60_000 / this.settings.updatesPerMinute, this.settings.updateBurst);
  }

  /** Nobody takes from this scope for `ms` (Slack said Retry-After, or a 5xx backoff). */
  async hold(scope: string, ms: number): Promise<void> {
    await this.redis.set(this.keys.hold(scope), '1', 'PX', Math.max(1, Math.ceil(ms)));
  }

  private async take(scope: string, intervalMs: number, burst: number): Promise<number> {
    const wait = await runScript(
      this.redis,
      deliveryScripts.takeToken,
      [this.keys.bucket(scope), this.keys.hold(scope)],
      [String(intervalMs), String(burst)],
    );
    return Number(wait);
  }
}
