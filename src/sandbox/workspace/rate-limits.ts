// Slack's published rate limits, enforced when asked (tests, RUNWAY_SANDBOX_SLACK_LIMITS=1):
// chat.postMessage about one a second per channel with a short burst, and Tier 3 methods
// (chat.update) about 50 a minute per workspace. Beyond that Slack answers HTTP 429 with
// Retry-After in whole seconds, which is what check() returns.
export interface RateLimitSettings {
  /** chat.postMessage per channel: tokens refilled per second, and the burst. */
  postPerSecond: number;
  postBurst: number;
  /** Tier 3 methods per workspace: per minute, and the burst. */
  tier3PerMinute: number;
  tier3Burst: number;
}

export const SLACK_LIMITS: RateLimitSettings = {
  postPerSecond: 1,
  postBurst: 4,
  tier3PerMinute: 50,
  tier3Burst: 10,
};

const TIER3 = new Set(['chat.update', 'chat.delete']);

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: RateLimitSettings = SLACK_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait (Retry-After) when this call is over the limit, else null (and it is counted). */
  check(method: string, channel: string | undefined): number | null {
    const s = this.settings;
    if (method === 'chat.postMessage')
      return this.take(`post:${channel ?? ''}`, s.postPerSecond / 1000, s.postBurst);
    if (TIER3.has(method)) return this.take('tier3', s.tier3PerMinute / 60_000, s.tier3Burst);
    return null;
  }

  private take(key: string, perMs: number, burst: number): number | null {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, b.tokens + (now - b.at) * perMs);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return null;
    }
    this.buckets.set(key, { tokens, at: now });
    return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
  }
}
