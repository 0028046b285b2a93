// Work due at a time, in one Redis sorted set (score = due time in ms): gate samples, card refreshes.
// Arming keeps the first due time (a repeat joins the one waiting); workers claim a batch atomically
// as a lease (the score moves to its expiry) and remove what they finished, so work whose worker died
// comes due again when its lease runs out. Nothing waits in a process.
import type { Redis } from 'ioredis';
import { runScript, scripts } from './scripts.ts';

export interface DueMember {
  member: string;
  /** When it was due (the lease end for one taken over from a dead worker). */
  dueMs: number;
}

/** A claimed member naming a release (gate samples), with that release's stored rev (null: gone). */
export interface DueReleaseMember extends DueMember {
  rev: number | null;
}

export class DueSet {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
  ) {}

  /** Due at `dueMs`; arming one already waiting (or claimed) keeps what it has. */
  async arm(member: string, dueMs: number): Promise<void> {
    await this.redis.zadd(this.key, 'NX', dueMs, member);
  }

  /** Claim up to `limit` members due at `nowMs`, each leased for `leaseMs`. */
  async claim(nowMs: number, limit: number, leaseMs: number): Promise<DueMember[]> {
    const flat = await this.claimFlat(nowMs, limit, leaseMs, []);
    const claimed: DueMember[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      claimed.push({ member: flat[i]!, dueMs: Number(flat[i + 1]) });
    return claimed;
  }

  /**
   * `claim` for members that name a release (release/…/…/…): each comes with the release's stored
   * rev, read in the same script. `releaseKeyPrefix` is the release key with an empty id.
   */
  async claimWithRevs(
    nowMs: number,
    limit: number,
    leaseMs: number,
    releaseKeyPrefix: string,
  ): Promise<DueReleaseMember[]> {
    const flat = await this.claimFlat(nowMs, limit, leaseMs, [releaseKeyPrefix]);
    const claimed: DueReleaseMember[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const rev = flat[i + 2] === '' ? null : Number(flat[i + 2]);
      claimed.push({ member: flat[i]!, dueMs: Number(flat[i + 1]), rev });
    }
    return claimed;
  }

  /** claim-due.lua's flat reply (see its header; `extra` is its optional ARGV[4]). */
  private async claimFlat(nowMs: number, limit: number, leaseMs: number, extra: string[]): Promise<string[]> {
    const reply = await runScript(
      this.redis,
      scripts.claimDue,
      [this.key],
      [String(nowMs), String(limit), String(leaseMs), ...extra],
    );
    return Array.isArray(reply) ? reply.map(String) : [];
  }

  /** Done with these (or not ours to read): one command for the batch. */
  async finish(members: string[]): Promise<void> {
    if (members.length > 0) await this.redis.zrem(this.key, ...members);
  }

  /** Keep these claims until `untilMs` (XX: a member already finished is not brought back). */
  async extend(members: string[], untilMs: number): Promise<void> {
    if (members.length === 0) return;
    await this.redis.zadd(this.key, 'XX', ...members.flatMap((m) => [untilMs, m]));
  }

  /** How many are armed or claimed (a diagnostic for tests and benches). */
  size(): Promise<number> {
    return this.redis.zcard(this.key);
  }
}
