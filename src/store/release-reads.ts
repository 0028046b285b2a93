// Reading many releases at once: the active ones and the history, pipelined, each joined with its
// (cached) plan.
import type { Redis } from 'ioredis';
import type { Release, ReleasePlan } from '../release/types.ts';
import type { StoreKeys } from './keys.ts';
import { joinPlan } from './release-codec.ts';

const HISTORY_PAGE = 50;

export class ReleaseReads {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
    private readonly plans: Map<string, ReleasePlan>,
  ) {}

  async listActive(): Promise<Release[]> {
    const ids = await this.redis.smembers(this.keys.activeSet());
    const releases = await this.getMany(ids);
    return releases.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Finished releases, newest first; one service's or all. */
  async history(service?: string, limit = 20): Promise<Release[]> {
    if (limit <= 0) return []; // ZREVRANGE 0 -1 would mean "all"
    const key = service === undefined ? this.keys.history() : this.keys.serviceHistory(service);
    const ids = await this.redis.zrevrange(key, 0, limit - 1);
    return this.getMany(ids);
  }

  /** Walks a service's finished releases in an environment, newest first, to the first `pick` takes. */
  async findInHistory(
    service: string,
    environment: string,
    pick: (release: Release) => boolean,
  ): Promise<Release | null> {
    const key = this.keys.serviceHistory(service);
    for (let start = 0; ; start += HISTORY_PAGE) {
      const ids = await this.redis.zrevrange(key, start, start + HISTORY_PAGE - 1);
      for (const release of await this.getMany(ids)) {
        if (release.environment === environment && pick(release)) return release;
      }
      if (ids.length < HISTORY_PAGE) return null;
    }
  }

  async getMany(ids: string[]): Promise<Release[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids)
      pipeline.hmget(this.keys.release(id), 'json', ...(this.plans.has(id) ? [] : ['plan']));
    const replies = (await pipeline.exec()) ?? [];
    const releases: Release[] = [];
    for (const [i, [err, fields]] of replies.entries()) {
      if (err) throw err;
      const [json, plan] = fields as (string | null)[];
      const id = ids[i]!;
      if (typeof json === 'string')
        releases.push(joinPlan(this.plans, id, json, this.plans.get(id) ?? plan ?? null));
    }
    return releases;
  }
}
