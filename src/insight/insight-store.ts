// What the insight jobs keep in Redis: each release's changelog (or why it has none), and one-time
// markers so a repeated job posts its thread note or chart once.
import type { Redis } from 'ioredis';
import type { StoreKeys } from '../store/keys.ts';
import type { Changelog, ChangelogResult } from './changelog.ts';
import { letGo, takeLock } from '../store/token-lock.ts';

const TTL_SECONDS = 400 * 24 * 3600;
/** Longer than the few GitHub calls a job makes (15 s timeout each); a dead holder blocks no longer. */
const LOCK_MS = 90_000;

export class InsightStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  async changelogResult(releaseId: string): Promise<ChangelogResult | null> {
    const text = await this.redis.get(this.keys.changelog(releaseId));
    if (!text) return null;
    try {
      return JSON.parse(text) as ChangelogResult;
    } catch {
      return null;
    }
  }

  /** The changelog to show, when the release has one. */
  async changelog(releaseId: string): Promise<Changelog | null> {
    const result = await this.changelogResult(releaseId);
    return result?.ok ? result.changelog : null;
  }

  /** Keeps the first result only: true when this call stored it. */
  async saveChangelog(releaseId: string, result: ChangelogResult): Promise<boolean> {
    const set = await this.redis.set(
      this.keys.changelog(releaseId),
      JSON.stringify(result),
      'EX',
      TTL_SECONDS,
      'NX',
    );
    return set === 'OK';
  }

  /** Claims a one-time side effect; false when it was claimed already. */
  async claim(releaseId: string, what: string): Promise<boolean> {
    return (
      (await this.redis.set(this.keys.insightDone(releaseId, what), '1', 'EX', TTL_SECONDS, 'NX')) === 'OK'
    );
  }

  /** Whether a one-time side effect was claimed. */
  async claimed(releaseId: string, what: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.insightDone(releaseId, what))) === 1;
  }

  /**
   * Runs `fn` alone among this release's `what` jobs (its GitHub reports: a late deploy job must not
   * post in_progress after the end was reported). While another job holds it, throws: the job retries.
   */
  async exclusive<T>(releaseId: string, what: string, fn: () => Promise<T>): Promise<T> {
    const key = this.keys.insightDone(releaseId, `lock-${what}`);
    const token = await takeLock(this.redis, key, LOCK_MS);
    if (!token) throw new Error(`another job is reporting ${releaseId} (${what}); trying again`);
    try {
      return await fn();
    } finally {
      // Never frees a lock that expired and was taken by another job.
      await letGo(this.redis, key, token);
    }
  }

  /** Gives a claim back after the side effect failed, so its retry may do it. */
  async unclaim(releaseId: string, what: string): Promise<void> {
    await this.redis.del(this.keys.insightDone(releaseId, what));
  }
}
