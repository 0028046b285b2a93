// Gate sampler. Takes: due gate samples from the gate schedule (a Redis sorted set), a batch per tick,
// claimed atomically with a lease. Produces: a `gateSampled` event per sample, through the engine as
// before (fenced: a stale sample does not even query its source). Every wait lives in Redis: the
// short in-process timer only paces the ticks, so a restart or a killed worker loses nothing.
import type { Logger } from '../src/log.ts';
import type { Engine } from '../src/engine/engine.ts';
import type { RunbookContext } from '../src/engine/runbook-context.ts';
import type { ReleaseStore } from '../src/store/release-store.ts';
import type { ClaimedSample, GateSchedule } from '../src/store/gate-schedule.ts';
import { sampleGate } from '../src/metrics/sample-gate.ts';
import { templateVars } from '../src/release/machine.ts';
import { awaitsGateSample } from '../src/release/fencing.ts';

export interface SamplerTuning {
  /** Pause between ticks that found nothing more to do. */
  tickMs?: number;
  /** Samples claimed per tick (all sampled concurrently). */
  batch?: number;
  /** A claim not finished within this is taken over by another worker (longer than a gate's timeout). */
  leaseMs?: number;
}

export interface SamplerDeps {
  engine: Engine;
  store: ReleaseStore;
  gates: GateSchedule;
  runbook: () => RunbookContext;
  log: Logger;
  /** How late each applied sample was taken (ms after due), for metrics and benches. */
  onApplied?: (latenessMs: number) => void;
}

export class GateSampler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Samples being taken now: member → when it was claimed (for lease renewal). */
  private readonly inFlight = new Map<string, { claimedAt: number; done: Promise<void> }>();
  /** Handled members not yet removed from the schedule (one ZREM per tick for all of them). */
  private finished: string[] = [];
  private readonly tickMs: number;
  private readonly batch: number;
  private readonly leaseMs: number;

  constructor(
    private readonly deps: SamplerDeps,
    tuning: SamplerTuning = {},
  ) {
    this.tickMs = tuning.tickMs ?? 50;
    // As many in flight as the timer queue ran at once (50).
    this.batch = tuning.batch ?? 50;
    this.leaseMs = tuning.leaseMs ?? 30_000;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stop ticking and wait for the samples in hand (their claims would otherwise wait out their lease). */
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
          this.deps.log.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'gate sampler tick failed',
          );
          this.schedule(this.tickMs * 10);
        },
      );
    }, delayMs);
  }

  /**
   * One tick: remove what finished, renew the leases of long samples, and claim as many due samples
   * as there is room for. Each sample runs on its own: a slow gate holds its slot, not the others'.
   * True when the claim filled the room (more may be due: tick again at once).
   */
  async tick(): Promise<boolean> {
    await this.flush();
    await this.renewLeases();
    const room = this.batch - this.inFlight.size;
    if (room <= 0 || this.stopped) return false;
    const claimed = await this.deps.gates.claim(Date.now(), room, this.leaseMs);
    for (const c of claimed) {
      // Our own claim come due again (we held it past its lease): it is still being taken here.
      if (this.inFlight.has(c.member)) continue;
      const done = this.sampleOne(c).then((member) => {
        this.inFlight.delete(c.member);
        if (member) this.finished.push(member);
      });
      this.inFlight.set(c.member, { claimedAt: Date.now(), done });
    }
    return claimed.length === room;
  }

  /** Samples in flight (diagnostics and tests). */
  busy(): number {
    return this.inFlight.size;
  }

  private async flush(): Promise<void> {
    if (this.finished.length === 0) return;
    const members = this.finished;
    this.finished = [];
    await this.deps.gates.finish(members);
  }

  /** A sample still running at half its lease keeps its claim (a gate timeout may exceed the lease). */
  private async renewLeases(): Promise<void> {
    const now = Date.now();
    const old = [...this.inFlight].filter(([, s]) => now - s.claimedAt >= this.leaseMs / 2);
    if (old.length === 0) return;
    await this.deps.gates.extend(
      old.map(([member]) => member),
      now + this.leaseMs,
    );
    for (const [, s] of old) s.claimedAt = now;
  }

  /** The member to remove once handled, or null to leave it to its lease (a failed apply retries). */
  private async sampleOne(c: ClaimedSample): Promise<string | null> {
    const { engine, store, runbook, log } = this.deps;
    const lateMs = Math.max(0, Date.now() - c.dueMs);
    try {
      const release = await store.get(c.releaseId);
      if (!release || !awaitsGateSample(release, c.gate, c.epoch, c.seq)) return c.member;
      const config = runbook().gate(release.service, release.environment, c.gate);
      const sample = config
        ? await sampleGate(config, { vars: { ...templateVars(release), percent: release.traffic } })
        : { value: null, error: `the runbook has no gate "${c.gate}"` };
      log.debug(
        { releaseId: release.id, gate: c.gate, value: sample.value, error: sample.error },
        'gate sampled',
      );
      await engine.apply(
        c.releaseId,
        {
          type: 'gateSampled',
          gate: c.gate,
          epoch: c.epoch,
          seq: c.seq,
          value: sample.value,
          ...(sample.error ? { error: sample.error } : {}),
        },
        release,
      );
      // The chart point and a breach chart are written by the same save (insight triggers in the outbox).
      this.deps.onApplied?.(lateMs);
      return c.member;
    } catch (err) {
      log.warn(
        { releaseId: c.releaseId, gate: c.gate, err: err instanceof Error ? err.message : String(err) },
        'gate sample not applied; retried when its claim expires',
      );
      return null;
    }
  }
}
