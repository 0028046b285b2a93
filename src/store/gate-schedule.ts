// Due gate samples in one sorted set (score = due time in ms): the dispatcher arms them, sampler
// ticks claim a batch atomically (the claim is a lease: the score moves to its expiry) and remove
// what they applied. A sample whose worker died comes due again when its lease runs out.
import type { Redis } from 'ioredis';
import type { StoreKeys } from './keys.ts';
import { runScript, scripts } from './scripts.ts';

export interface GateSampleRef {
  releaseId: string;
  gate: string;
  epoch: number;
  seq: number;
}

export interface ClaimedSample extends GateSampleRef {
  member: string;
  /** When it was due (the lease end for one taken over from a dead worker). */
  dueMs: number;
}

/** release/gate/epoch/seq; gate names cannot hold "/" but a release id is split from the right. */
export function sampleMember(ref: GateSampleRef): string {
  return `${ref.releaseId}/${ref.gate}/${ref.epoch}/${ref.seq}`;
}

export function parseSampleMember(member: string): GateSampleRef | null {
  const parts = member.split('/');
  if (parts.length < 4) return null;
  const seq = Number(parts.pop());
  const epoch = Number(parts.pop());
  const gate = parts.pop() ?? '';
  const releaseId = parts.join('/');
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(epoch) || !gate || !releaseId) return null;
  return { releaseId, gate, epoch, seq };
}

export class GateSchedule {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  /** Arm a sample. Arming the same one again (a repeated dispatch) keeps its first due time. */
  async arm(ref: GateSampleRef, dueMs: number): Promise<void> {
    await this.redis.zadd(this.keys.gateSchedule(), 'NX', dueMs, sampleMember(ref));
  }

  /** Claim up to `limit` samples due at `nowMs`, each leased for `leaseMs`. */
  async claim(nowMs: number, limit: number, leaseMs: number): Promise<ClaimedSample[]> {
    const reply = await runScript(
      this.redis,
      scripts.claimGateSamples,
      [this.keys.gateSchedule()],
      [String(nowMs), String(limit), String(leaseMs)],
    );
    const flat = Array.isArray(reply) ? reply.map(String) : [];
    const claimed: ClaimedSample[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const member = flat[i]!;
      const ref = parseSampleMember(member);
      if (ref) claimed.push({ ...ref, member, dueMs: Number(flat[i + 1]) });
      else await this.redis.zrem(this.keys.gateSchedule(), member); // not ours to read: drop it
    }
    return claimed;
  }

  /** Done with these samples (applied or stale): one command for the batch. */
  async finish(members: string[]): Promise<void> {
    if (members.length > 0) await this.redis.zrem(this.keys.gateSchedule(), ...members);
  }

  /** Keep these claims until `untilMs` (XX: a member already finished is not brought back). */
  async extend(members: string[], untilMs: number): Promise<void> {
    if (members.length === 0) return;
    const pairs = members.flatMap((m) => [untilMs, m]);
    await this.redis.zadd(this.keys.gateSchedule(), 'XX', ...pairs);
  }

  /** How many samples are armed or claimed (a diagnostic for tests and benches). */
  size(): Promise<number> {
    return this.redis.zcard(this.keys.gateSchedule());
  }
}
