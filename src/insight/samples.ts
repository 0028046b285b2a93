// The gate samples a release took, kept for its canary chart: a capped Redis list per release, not
// inside the release record — every save rewrites that record, and samples only ever append. The
// oldest drop once a release holds SAMPLES_KEPT (hours of 30 s sampling over several gates).
import type { Redis } from 'ioredis';
import type { StoreKeys } from '../store/keys.ts';

export interface GateSample {
  gate: string;
  /** ISO time of the reading. */
  at: string;
  value: number | null;
  verdict: 'ok' | 'breach' | 'no_data';
  stageIndex: number;
  traffic: number;
}

export const SAMPLES_KEPT = 4000;
const SAMPLES_TTL_SECONDS = 45 * 24 * 3600;

export class SampleStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  /** Appends one sample (the caller records each sample the machine counted, once). */
  async record(releaseId: string, sample: GateSample): Promise<void> {
    const key = this.keys.gateSamples(releaseId);
    await this.redis
      .multi()
      .rpush(key, JSON.stringify(sample))
      .ltrim(key, -SAMPLES_KEPT, -1)
      .expire(key, SAMPLES_TTL_SECONDS)
      .exec();
  }

  /** Oldest first. */
  async list(releaseId: string): Promise<GateSample[]> {
    const rows = await this.redis.lrange(this.keys.gateSamples(releaseId), 0, -1);
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
