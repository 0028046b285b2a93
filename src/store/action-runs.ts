// Exactly-once bookkeeping outside a release's hash: an action run's status and result (beginStep,
// in release-store.ts, starts it together with reading the release), and delivery dedupe keys.
import type { Redis } from 'ioredis';
import type { StoreKeys } from './keys.ts';

export class ActionRuns {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
    private readonly now: () => Date,
  ) {}

  /** Where an action run stands: 'running' / 'resumed' while some worker has it, 'done', or null. */
  async status(key: string): Promise<string | null> {
    return this.redis.hget(this.keys.actionRun(key), 'status');
  }

  /** Marks the run done with its result (JSON-serialisable); a later begin returns it. */
  async finish(key: string, result: unknown): Promise<void> {
    // One HSET: beginStep created the hash with its TTL, and HSET keeps it.
    await this.redis.hset(
      this.keys.actionRun(key),
      'status',
      'done',
      'result',
      result === undefined ? '' : JSON.stringify(result),
      'finishedAt',
      this.now().toISOString(),
    );
  }

  /** True the first time a key is seen within `ttlSeconds` (Slack retries, double clicks). */
  async dedupe(key: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(this.keys.dedupe(key), '1', 'EX', ttlSeconds, 'NX')) === 'OK';
  }
}
