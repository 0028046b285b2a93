// The steady gate readings of one turn of the event loop, written together: one keep-steady.lua call
// re-arms each claimed sample and keeps its chart point, each entry fenced on its claim and on the
// release's rev (see the script's header). The release record is not written.
import type { Redis } from 'ioredis';
import type { StoreKeys } from './keys.ts';
import { SAMPLE_CAP } from './inline-writes.ts';
import { runScript, scripts } from './scripts.ts';

/** Entries per script call at most: a call blocks Redis while it runs. */
const MAX_ENTRIES = 200;

/** Kept samples are trimmed to the cap (and their TTL renewed) on every this many readings. */
const CAP_EVERY = 16;

export interface SteadyEntry {
  releaseId: string;
  /** The release's rev the reading was decided on (the stored one when claimed). */
  rev: number;
  /** The claimed sample member and the lease end its claim set. */
  member: string;
  leaseEndMs: number;
  /** When the same member is due again. */
  nextDueMs: number;
  /** The chart point (insight/samples.ts row) and the count of the reading (trims every few). */
  sample: { row: string; atMs: number };
  samples: number;
  /** The card's coalesced refresh (the end of its window), or null. */
  cardDueMs: number | null;
}

/** kept: re-armed; changed: the release moved on (decide on it); not_ours: the claim was taken over. */
export type SteadyStatus = 'kept' | 'changed' | 'not_ours';

const STATUS: Record<string, SteadyStatus> = { '1': 'kept', '0': 'changed', '2': 'not_ours' };

interface Pending {
  entry: SteadyEntry;
  done: (status: SteadyStatus) => void;
  fail: (err: unknown) => void;
}

export class SteadyReadings {
  private pending: Pending[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  keep(entry: SteadyEntry): Promise<SteadyStatus> {
    return new Promise<SteadyStatus>((done, fail) => {
      this.pending.push({ entry, done, fail });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length; i += MAX_ENTRIES) void this.write(all.slice(i, i + MAX_ENTRIES));
  }

  private async write(batch: Pending[]): Promise<void> {
    const keys = [this.keys.gateSchedule(), this.keys.cardRefreshes()];
    const args = [
      String(SAMPLE_CAP.kept),
      String(SAMPLE_CAP.ttlSeconds),
      this.keys.release(''),
      this.keys.gateSamples(''),
    ];
    for (const { entry: e } of batch) {
      // One argument per entry (see keep-steady.lua); ids, members and JSON hold no raw newline.
      args.push(
        `${e.releaseId}\n${e.rev}\n${e.member}\n${e.leaseEndMs}\n${e.nextDueMs}\n${e.sample.atMs}\n` +
          `${e.samples % CAP_EVERY === 0 ? '1' : ''}\n${e.cardDueMs ?? ''}\n${e.sample.row}`,
      );
    }
    try {
      const reply = await runScript(this.redis, scripts.keepSteady, keys, args);
      const statuses = Array.isArray(reply) ? reply : [];
      batch.forEach((p, i) => {
        const status = STATUS[String(statuses[i])];
        if (status) p.done(status);
        else p.fail(new Error(`keep-steady: unexpected reply for entry ${i + 1}`));
      });
    } catch (err) {
      for (const p of batch) p.fail(err);
    }
  }
}
