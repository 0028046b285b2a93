// Works off a due set (src/store/due-set.ts): a tick claims what is due as a lease, handles each
// claim on its own (a slow one holds its slot, not the others'), renews the leases of long ones and
// removes what was handled in one command per tick. The gate sampler and the card refresher are two
// of these. Every wait lives in Redis: the short in-process timer only paces the ticks, so a
// restart or a killed worker loses nothing (its claims come due again when their leases run out).
import type { Logger } from '../src/log.ts';

export interface DueSource<T extends { member: string }> {
  claim(nowMs: number, limit: number, leaseMs: number): Promise<T[]>;
  finish(members: string[]): Promise<void>;
  extend(members: string[], untilMs: number): Promise<void>;
}

export interface PumpTuning {
  /** Pause between ticks that found nothing more to do. */
  tickMs?: number;
  /** Claims in hand at most (all handled concurrently). */
  batch?: number;
  /** A claim not finished within this is taken over by another worker. */
  leaseMs?: number;
}

/**
 * Handles one claim: true when it is done with (removed), false to leave it to its lease (retried),
 * 'left' when the member is not this handler's to remove (it armed the same member again itself, or
 * the claim was taken over).
 */
export type ClaimHandler<T> = (claim: T) => Promise<boolean | 'left'>;

/** A claim not finished within this is taken over by another worker (PumpTuning.leaseMs). */
export const DEFAULT_LEASE_MS = 30_000;

export class DuePump<T extends { member: string }> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  /** Claims being handled now: member → when it was claimed (for lease renewal). */
  private readonly inFlight = new Map<string, { claimedAt: number; done: Promise<void> }>();
  /** Handled members not yet removed from the set (one ZREM per tick for all of them). */
  private finished: string[] = [];
  private readonly tickMs: number;
  private readonly batch: number;
  private readonly leaseMs: number;

  constructor(
    private readonly name: string,
    private readonly source: DueSource<T>,
    private readonly handle: ClaimHandler<T>,
    private readonly log: Logger,
    tuning: PumpTuning,
  ) {
    this.tickMs = tuning.tickMs ?? 50;
    this.batch = tuning.batch ?? 50;
    this.leaseMs = tuning.leaseMs ?? DEFAULT_LEASE_MS;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stop ticking and wait for the claims in hand (they would otherwise wait out their lease). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await Promise.all([...this.inFlight.values()].map((s) => s.done));
    await this.flush();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().then(
        (full) => this.schedule(full ? 0 : this.tickMs),
        (err: unknown) => {
          this.log.warn(
            { err: err instanceof Error ? err.message : String(err) },
            `${this.name} tick failed`,
          );
          this.schedule(this.tickMs * 10);
        },
      );
    }, delayMs);
  }

  /**
   * One tick: remove what finished, renew the leases of long claims, and claim as many due members
   * as there is room for. True when the claim filled the room (more may be due: tick again at once).
   */
  async tick(): Promise<boolean> {
    await this.flush();
    await this.renewLeases();
    const room = this.batch - this.inFlight.size;
    if (room <= 0 || this.stopped) return false;
    const claimed = await this.source.claim(Date.now(), room, this.leaseMs);
    for (const c of claimed) {
      // Our own member claimed again while still in hand (re-armed by its handler and due before the
      // handler returned, or held past its lease): handled again once the first is done.
      const before = this.inFlight.get(c.member)?.done;
      this.take(c, before);
    }
    return claimed.length === room;
  }

  private take(c: T, after: Promise<void> | undefined): void {
    const done = (after ?? Promise.resolve())
      .then(() => this.handleOne(c))
      .then((handled) => {
        if (this.inFlight.get(c.member)?.done === done) this.inFlight.delete(c.member);
        if (handled === true) this.finished.push(c.member);
      });
    this.inFlight.set(c.member, { claimedAt: Date.now(), done });
  }

  /** Claims in hand (diagnostics and tests). */
  busy(): number {
    return this.inFlight.size;
  }

  private async handleOne(c: T): Promise<boolean | 'left'> {
    try {
      return await this.handle(c);
    } catch (err) {
      this.log.warn(
        { member: c.member, err: err instanceof Error ? err.message : String(err) },
        `${this.name}: not done; retried when its claim expires`,
      );
      return false;
    }
  }

  private async flush(): Promise<void> {
    if (this.finished.length === 0) return;
    const members = this.finished;
    this.finished = [];
    await this.source.finish(members);
  }

  /** A claim still in hand at half its lease keeps it (a gate timeout may exceed the lease). */
  private async renewLeases(): Promise<void> {
    const now = Date.now();
    const old = [...this.inFlight].filter(([, s]) => now - s.claimedAt >= this.leaseMs / 2);
    if (old.length === 0) return;
    await this.source.extend(
      old.map(([member]) => member),
      now + this.leaseMs,
    );
    for (const [, s] of old) s.claimedAt = now;
  }
}
