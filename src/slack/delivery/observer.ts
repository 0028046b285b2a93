// What the delivery layer tells /metrics and the audit log about (the process that made the call).
import type { Post } from './types.ts';

export interface DeliveryObserver {
  /** Slack answered 429 to this method. */
  rateLimited?(method: string): void;
  /** A call that failed on the way is tried again later (http_503, a network error's code); 429s are
   * counted by the client's rate_limited event. */
  retried?(reason: string): void;
  /** A card edit waited for the workspace budget or joined one already waiting. */
  deferred?(): void;
  /** `count` lines went out in one post. */
  folded?(count: number): void;
}

/** Told when a post is delivered (its audit entry, its saved place) or set aside for good. */
export interface DeliveryHooks {
  posted?(post: Post, where: { channel: string; ts: string }): Promise<void>;
  setAside?(post: Post, reason: string): Promise<void>;
  /** A card edit Slack refuses for good (`<kind>-<id>`: deleted, archived channel): given up. */
  cardRefused?(card: string, reason: string): Promise<void>;
}
