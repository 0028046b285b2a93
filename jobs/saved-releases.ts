// The releases this sampler saved last, kept as saved: a claim brings the stored rev of its release
// (store/lua/claim-due.lua), and when it is the rev kept here nobody changed the release since, so
// the sample is fenced and decided on this copy without reading and parsing the release again. Any
// other rev (a click, a timer, another worker) reads the stored release as before.
import type { GateReading, Release } from '../src/release/types.ts';

/** Far more than one worker samples at once; past it the oldest go (they are read again if needed). */
const KEPT = 20_000;

export class SavedReleases {
  private readonly byId = new Map<string, Release>();

  /** The release as saved here, if the stored one is still that revision. */
  get(id: string, storedRev: number | null): Release | undefined {
    const kept = this.byId.get(id);
    if (kept && kept.rev === storedRev) return kept;
    if (kept) this.byId.delete(id);
    return undefined;
  }

  keep(release: Release): void {
    this.byId.delete(release.id);
    this.byId.set(release.id, release);
    if (this.byId.size > KEPT) this.byId.delete(this.byId.keys().next().value!);
  }

  /**
   * A steady reading kept without a save (the rev stays): laid over the copy kept here when it is
   * that rev, so two gates of one release read in the same turn both stay in it.
   */
  keepReading(release: Release, gate: string, reading: GateReading): Release {
    const kept = this.byId.get(release.id);
    const base = kept && kept.rev === release.rev ? kept : release;
    const next = { ...base, gates: { ...base.gates, [gate]: reading } };
    this.keep(next);
    return next;
  }

  forget(id: string): void {
    this.byId.delete(id);
  }

  get size(): number {
    return this.byId.size;
  }
}
