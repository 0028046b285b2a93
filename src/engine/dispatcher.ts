// Carries out the effects a decision left in the outbox: enqueue jobs (deterministic ids), queue
// notifications in order, free locks. Safe to run twice for the same batch, and from two processes:
// one holds the per-release flush lock and the other leaves the work to it.
import type { Logger } from '../log.ts';
import type { OutboxBatch, ReleaseStore } from '../store/release-store.ts';
import {
  INSIGHT_JOB_OPTIONS,
  jobIds,
  NOTIFY_JOB_OPTIONS,
  safeJobId,
  STEP_JOB_OPTIONS,
  TIMER_JOB_OPTIONS,
  type Queues,
} from '../queue/queues.ts';
import { isNotifyEffect, type Notification } from './notifier.ts';
import { randomUUID } from 'node:crypto';
import type { NotificationQueue } from '../store/notification-queue.ts';
import type { GateSample } from '../insight/samples.ts';
import type { GateSchedule } from '../store/gate-schedule.ts';
import type { DueSet } from '../store/due-set.ts';
import { cardRefreshDueMs } from './inline-effects.ts';

/** A dispatcher that dies holding a release's dispatch lock blocks it this long at most. */
const FLUSH_LOCK_MS = 30_000;

/** How long the first notification of a quiet release waits for others to join its delivery. */
const NOTIFY_GATHER_MS = 200;

export interface DispatcherDeps {
  store: ReleaseStore;
  notifications: NotificationQueue;
  queues: Queues;
  /** Gate samples are armed here (a sorted set the sampler ticks claim), not as queue jobs. */
  gates: GateSchedule;
  /** Coalesced card refreshes (jobs/card-refresher.ts claims them). */
  cards: DueSet;
  log: Logger;
  /** The same clock as the engine's: card windows and sweep slots are cut from it. */
  clock?: () => Date;
  /** Keeps the gate samples a batch carries (for the charts); kept by value, so a repeat adds nothing. */
  samples?: { record(releaseId: string, sample: GateSample): Promise<void> };
}

export class Dispatcher {
  private readonly now: () => number;

  constructor(private readonly deps: DispatcherDeps) {
    const clock = deps.clock ?? (() => new Date());
    this.now = () => clock().getTime();
  }

  /** Dispatch every pending batch of a release, in order. */
  async flush(releaseId: string): Promise<void> {
    // Rounds: another writer may append a batch while we dispatch; the count left when we let go of
    // the lock says whether to go again (a batch pushed after that finds the lock free).
    for (let round = 0; round < 5; round++) {
      const token = randomUUID();
      const batches = await this.deps.store.claimOutbox(releaseId, token, FLUSH_LOCK_MS);
      if (batches === null) return; // the holder of the lock will see our batch
      let handled = 0;
      try {
        for (const batch of batches) {
          await this.dispatch(releaseId, batch);
          handled += 1;
        }
      } catch (err) {
        // Keep the failed batch and those after it for the next flush or the sweep.
        await this.deps.store.finishOutbox(releaseId, handled, token);
        throw err;
      }
      const left = await this.deps.store.finishOutbox(releaseId, handled, token);
      if (batches.length > 0) this.deps.log.debug({ releaseId, batches: handled, left }, 'dispatched');
      if (left === 0) return;
    }
  }

  /**
   * Dispatch whatever outboxes are pending (after a crash between save and dispatch), and queue a
   * drain for notifications nobody is delivering (a dead drainer, a drain job that gave up) — at
   * most one such job per release per minute.
   */
  async sweep(): Promise<number> {
    const ids = await this.deps.store.pendingOutbox();
    for (const id of ids) await this.flush(id);
    const stranded = await this.deps.notifications.stranded();
    const minute = Math.floor(this.now() / 60_000);
    for (const id of stranded) {
      await this.deps.queues.notify.add(
        'drain',
        { releaseId: id },
        { ...NOTIFY_JOB_OPTIONS, jobId: jobIds.notify(id, `sweep-${minute}`) },
      );
    }
    return ids.length + stranded.length;
  }

  /** Carries out one batch. Safe to repeat: job ids are deterministic, notifications are deduplicated. */
  private async dispatch(releaseId: string, batch: OutboxBatch): Promise<void> {
    const { store, queues } = this.deps;
    const notifications: Notification[] = [];
    for (const [index, effect] of batch.effects.entries()) {
      if (isNotifyEffect(effect)) {
        notifications.push({ key: `${batch.batchId}-${index}`, releaseId, effect });
        continue;
      }
      switch (effect.type) {
        case 'runAction':
          await queues.steps.add(
            'action',
            { releaseId, key: effect.key, action: effect.action, vars: effect.vars, purpose: effect.purpose },
            { ...STEP_JOB_OPTIONS, jobId: safeJobId(effect.key) },
          );
          break;
        case 'cancelAction':
          await store.flags.requestCancel(effect.key);
          break;
        case 'scheduleGateSample':
          await this.deps.gates.arm(
            { releaseId, gate: effect.gate, epoch: effect.epoch, seq: effect.seq },
            // Real time, as a queue delay was: the sampler claims by the wall clock too.
            Date.now() + effect.delayMs,
          );
          break;
        case 'scheduleHoldEnd': {
          const data = {
            kind: 'hold' as const,
            releaseId,
            stageIndex: effect.stageIndex,
            epoch: effect.epoch,
            seq: effect.seq,
          };
          await queues.timers.add('hold', data, {
            ...TIMER_JOB_OPTIONS,
            delay: effect.delayMs,
            jobId: jobIds.hold(data),
          });
          break;
        }
        case 'releaseLock': {
          // Normally freed by the save that ended the release; this covers a save that could not.
          const current = await store.get(releaseId);
          if (current) await store.releaseLock(current.service, current.environment, releaseId);
          break;
        }
        case 'insightJob':
          await queues.insight.add(effect.data.kind, effect.data, {
            ...INSIGHT_JOB_OPTIONS,
            jobId: effect.jobId,
          });
          break;
        case 'keepSample':
          await this.deps.samples?.record(releaseId, effect.sample);
          break;
        case 'recordDeployed':
        case 'audit':
          // Written by the save itself: a late dispatch must never overwrite a newer deployed version.
          break;
      }
    }
    if (notifications.length > 0 && notifications.every((n) => n.effect.type === 'updateCard')) {
      // Only the card changed: one coalesced refresh per card per window, rendered from the state at
      // the end of that window (a save usually arms it itself: engine/inline-effects.ts).
      await this.deps.cards.arm(releaseId, cardRefreshDueMs(this.now(), Date.now()));
    } else if (notifications.length > 0) {
      // A list that was not empty already has a drain coming (or running, and it looks again
      // before it stops): only the first batch of a quiet release needs a job.
      // The drain starts a moment later, so the next few batches of a busy release ride on it.
      if (await this.deps.notifications.push(releaseId, notifications)) {
        await queues.notify.add(
          'drain',
          { releaseId },
          { ...NOTIFY_JOB_OPTIONS, delay: NOTIFY_GATHER_MS, jobId: jobIds.notify(releaseId, batch.batchId) },
        );
      }
    }
  }
}
