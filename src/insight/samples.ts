// The gate samples a release took, kept for its canary chart: a capped sorted set per release (by
// time), not inside the release record — every save rewrites that record, and samples only ever add.
// A sample is its own member, so the same sample dispatched twice is kept once. The oldest drop once a
// release holds SAMPLE_CAP.kept. A gate sample's own save usually keeps it (store/inline-writes.ts).
import type { Redis } from 'ioredis';
import type { StoreKeys } from '../store/keys.ts';
import { SAMPLE_CAP } from '../store/inline-writes.ts';

export interface GateSample {
  gate: string;
  /** ISO time of the reading. */
  at: string;
  value: number | null;
  verdict: 'ok' | 'breach' | 'no_data';
  stageIndex: number;
  traffic: number;
}

/** A sample as its row in the set (by value: the same sample twice is one row) and its score. */
export function sampleRow(sample: GateSample): { row: string; atMs: number } {
  const at = Date.parse(sample.at);
  return { row: JSON.stringify(sample), atMs: Number.isFinite(at) ? at : 0 };
}

export class SampleStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  /** Keeps one sample; the same sample again (a re-dispatched batch) changes nothing. */
  async record(releaseId: string, sample: GateSample): Promise<void> {
    const key = this.keys.gateSamples(releaseId);
    const { row, atMs } = sampleRow(sample);
    await this.redis
      .multi()
      .zadd(key, atMs, row)
      .zremrangebyrank(key, 0, -SAMPLE_CAP.kept - 1)
      .expire(key, SAMPLE_CAP.ttlSeconds)
      .exec();
  }

  /** Oldest first. */
  async list(releaseId: string): Promise<GateSample[]> {
    const rows = await this.redis.zrange(this.keys.gateSamples(releaseId), 0, -1);
    const samples: GateSample[] = [];
    for (const row of rows) {
      try {
        samples.push(JSON.parse(row) as GateSample);
      } catch {
        // A row that does not parse is left out of the chart rather than failing it.
      }
    }
    return samples;
  }
}

/**
 * The sample a gate event added, comparing the release before and after the engine applied it:
 * null when the machine did not count it (a stale or repeated sample leaves the reading as it was).
 */
export function countedSample(
  gate: string,
  before: { gates: Record<string, { seq: number } | undefined> },
  after: {
    gates: Record<
      string,
      { seq: number; at: string; value: number | null; verdict: GateSample['verdict'] } | undefined
    >;
    stageIndex: number;
    traffic: number;
  },
): GateSample | null {
  const was = before.gates[gate];
  const now = after.gates[gate];
  if (!now || (was && now.seq === was.seq)) return null;
  return {
    gate,
    at: now.at,
    value: now.value,
    verdict: now.verdict,
    stageIndex: after.stageIndex,
    traffic: after.traffic,
  };
}
