// Due gate samples in one due set (store/due-set.ts): a release's save arms its next sample, sampler
// ticks claim a batch atomically (the claim is a lease) and remove what they applied. A sample whose
// worker died comes due again when its lease runs out.
import type { Redis } from 'ioredis';
import type { StoreKeys } from './keys.ts';
import { DueSet, type DueReleaseMember } from './due-set.ts';
import { SteadyReadings, type SteadyEntry, type SteadyStatus } from './steady-readings.ts';

export interface GateSampleRef {
  releaseId: string;
  gate: string;
  epoch: number;
  seq: number;
}

/**
 * A claimed sample, with its release's stored rev at the claim (null: the release is gone) and the
 * end of the lease the claim set (its score now: while it still is, the claim is this worker's).
 */
export interface ClaimedSample extends GateSampleRef, DueReleaseMember {
  leaseEndMs: number;
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
  private readonly due: DueSet;
  private readonly releaseKeyPrefix: string;
  private readonly steady: SteadyReadings;

  constructor(redis: Redis, keys: StoreKeys) {
    this.due = new DueSet(redis, keys.gateSchedule());
    this.releaseKeyPrefix = keys.release('');
    this.steady = new SteadyReadings(redis, keys);
  }

  /** Arm a sample. Arming the same one again (a repeated dispatch) keeps its first due time. */
  arm(ref: GateSampleRef, dueMs: number): Promise<void> {
    return this.due.arm(sampleMember(ref), dueMs);
  }

  /** Claim up to `limit` samples due at `nowMs`, each leased for `leaseMs`. */
  async claim(nowMs: number, limit: number, leaseMs: number): Promise<ClaimedSample[]> {
    const claimed: ClaimedSample[] = [];
    const unreadable: string[] = [];
    for (const { member, dueMs, rev } of await this.due.claimWithRevs(
      nowMs,
      limit,
      leaseMs,
      this.releaseKeyPrefix,
    )) {
      const ref = parseSampleMember(member);
      if (ref) claimed.push({ ...ref, member, dueMs, rev, leaseEndMs: nowMs + leaseMs });
      else unreadable.push(member); // not ours to read: drop it
    }
    await this.due.finish(unreadable);
    return claimed;
  }

  /**
   * A steady reading of a claimed sample: arm the same member again and keep its chart point,
   * without writing the release (fenced on the claim and the release's rev; steady-readings.ts).
   */
  keepSteady(entry: SteadyEntry): Promise<SteadyStatus> {
    return this.steady.keep(entry);
  }

  /** Done with these samples (applied or stale): one command for the batch. */
  finish(members: string[]): Promise<void> {
    return this.due.finish(members);
  }

  /** Keep these claims until `untilMs` (a member already finished is not brought back). */
  extend(members: string[], untilMs: number): Promise<void> {
    return this.due.extend(members, untilMs);
  }

  /** How many samples are armed or claimed (a diagnostic for tests and benches). */
  size(): Promise<number> {
    return this.due.size();
  }
}
