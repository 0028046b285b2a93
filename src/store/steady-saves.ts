// The saves of steady gate readings, gathered: every save asked for in one turn of the event loop
// that has nothing for the outbox or the audit log goes to Redis in one save-steady.lua call, each
// still its own compare-and-set. A sampler answering hundreds of gates a second then pays one script
// call per turn instead of one per sample (the per-call cost, not the writes, dominated).
import type { Redis } from 'ioredis';
import type { Release } from '../release/types.ts';
import type { StoreKeys } from './keys.ts';
import type { InlineWrites } from './inline-writes.ts';
import { SAMPLE_CAP } from './inline-writes.ts';
import { runScript, scripts } from './scripts.ts';
import { stateJson } from './release-codec.ts';
import type { SaveStatus } from './save-release.ts';
import type { OutboxEffect } from './outbox.ts';
import type { AuditEntryInput } from './audit-entry.ts';

/** Entries per script call at most: a call blocks Redis while it runs (~1 ms for this many). */
const MAX_ENTRIES = 200;

/**
 * A release's chart set is trimmed to SAMPLE_CAP and its TTL renewed on its first steady save here
 * and then every this many (the full save always does it): it may hold a few points over the cap
 * for a while, and two commands of every sample's ten go.
 */
export const CAP_EVERY = 16;

/**
 * Two card refresh times closer than this are the same card window (windows are 5 s; the due time
 * is the window's end on the wall clock): once armed, NX would keep the first, so it is not sent.
 */
const SAME_WINDOW_MS = 1000;

/** Releases remembered at most (what this process armed and capped for each); then it starts over. */
const MAX_REMEMBERED = 20_000;

/** What this process last wrote for a release through a steady save. */
interface Written {
  cardDueMs: number | null;
  saves: number;
}

/**
 * A save save-steady.lua can do: no outbox batch, no audit entry, not final, and at most one gate
 * sample to arm and one to keep (a steady reading of one gate).
 */
export function isSteadySave(
  final: boolean,
  effects: readonly OutboxEffect[],
  audit: readonly AuditEntryInput[],
  inline: InlineWrites,
): boolean {
  return (
    !final &&
    effects.length === 0 &&
    audit.length === 0 &&
    inline.arms.length <= 1 &&
    inline.samples.length <= 1
  );
}

interface Pending {
  keys: [string, string];
  args: string[];
  done: (status: SaveStatus) => void;
  fail: (err: unknown) => void;
}

export class SteadySaves {
  private pending: Pending[] = [];
  private readonly written = new Map<string, Written>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  save(release: Release, expectedRev: number, inline: InlineWrites): Promise<SaveStatus> {
    const arm = inline.arms[0];
    const sample = inline.samples[0];
    const before = this.written.get(release.id);
    const card = inline.cardDueMs;
    const armedCard =
      card !== null && before?.cardDueMs != null && Math.abs(before.cardDueMs - card) < SAME_WINDOW_MS;
    const cap = !before || before.saves % CAP_EVERY === 0;
    const after = { cardDueMs: card ?? before?.cardDueMs ?? null, saves: (before?.saves ?? 0) + 1 };
    return new Promise<SaveStatus>((resolve, fail) => {
      // Remembered only once written: a save refused (stale rev, gone) wrote neither.
      const done = (status: SaveStatus): void => {
        if (status === 1) this.remember(release.id, after);
        else this.written.delete(release.id);
        resolve(status);
      };
      this.pending.push({
        keys: [this.keys.release(release.id), this.keys.gateSamples(release.id)],
        args: [
          release.id,
          String(expectedRev),
          String(release.rev),
          stateJson(release),
          card === null || armedCard ? '' : String(card),
          arm ? String(arm.dueMs) : '',
          arm?.member ?? '',
          sample ? String(sample.atMs) : '',
          sample?.row ?? '',
          cap ? '1' : '',
          inline.answered ?? '',
        ],
        done,
        fail,
      });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  /** A release saved any other way (a transition, another worker) starts over: it is capped at once. */
  forget(releaseId: string): void {
    this.written.delete(releaseId);
  }

  private remember(releaseId: string, written: Written): void {
    if (!this.written.has(releaseId) && this.written.size >= MAX_REMEMBERED) this.written.clear();
    this.written.set(releaseId, written);
  }

  private flush(): void {
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length; i += MAX_ENTRIES) void this.write(all.slice(i, i + MAX_ENTRIES));
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const reply = await runScript(
        this.redis,
        scripts.saveSteady,
        [this.keys.gateSchedule(), this.keys.cardRefreshes(), ...batch.flatMap((p) => p.keys)],
        [String(SAMPLE_CAP.kept), String(SAMPLE_CAP.ttlSeconds), ...batch.flatMap((p) => p.args)],
      );
      const statuses = Array.isArray(reply) ? reply : [];
      batch.forEach((p, i) => {
        const status = Number(statuses[i]);
        if (status === 1 || status === 0 || status === -1) p.done(status);
        else p.fail(new Error(`save-steady: unexpected reply for entry ${i + 1}`));
      });
    } catch (err) {
      for (const p of batch) p.fail(err);
    }
  }
}
