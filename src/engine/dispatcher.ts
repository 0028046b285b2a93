// Carries out the effects a decision left in the outbox: enqueue jobs (deterministic ids), queue
// notifications in order, free locks. Safe to run twice for the same batch, and from two processes:
// one holds the per-release flush lock and the other leaves the work to it.
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import type { Release } from '../release/types.ts';
import type { ReleaseStore } from '../store/release-store.ts';
import { jobIds, NOTIFY_JOB_OPTIONS, safeJobId, STEP_JOB_OPTIONS, TIMER_JOB_OPTIONS, type Queues } from '../queue/queues.ts';
import { isNotifyEffect, type Notification } from './notifier.ts';
import { withLock } from './lock.ts';
import type { StoreKeys } from '../store/keys.ts';

/** Card-only changes are batched into windows this long. */
const CARD_WINDOW_MS = 1000;

/** How long a cancel request for a running action stays readable. */
const CANCEL_TTL_SECONDS = 24 * 3600;

export class Dispatcher {
  constructor(
    private readonly deps: { redis: Redis; store: ReleaseStore; queues: Queues; keys: StoreKeys; log: Logger },
  ) {}

  /** Dispatch every pending batch of a release, in order. */
  async flush(releaseId: string): Promise<void> {
    const { redis, keys } = this.deps;
    // Loop: another writer may append a batch right after we saw the outbox empty and let go.
    for (let round = 0; round < 5; round++) {
      const ran = await withLock(redis, keys.flushLock(releaseId), 30_000, () => this.flushOnce(releaseId));
      if (!ran) return; // the holder of the lock will see our batch
      if ((await redis.llen(this.deps.store.keys.releaseOutbox(releaseId))) === 0) return;
    }
  }

  /** Dispatch whatever outboxes are pending (after a crash between save and dispatch). */
  async sweep(): Promise<number> {
    const ids = await this.deps.store.pendingOutbox();
    for (const id of ids) await this.flush(id);
    return ids.length;
  }

  private async flushOnce(releaseId: string): Promise<void> {
    const { store, queues, redis, keys } = this.deps;
    const batches = await store.takeOutbox(releaseId);
    if (batches.length === 0) return;
    const release = await store.get(releaseId);
    for (const batch of batches) {
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
            await redis.set(keys.cancel(effect.key), '1', 'EX', CANCEL_TTL_SECONDS);
            break;
          case 'scheduleGateSample': {
            const data = { kind: 'gate' as const, releaseId, gate: effect.gate, epoch: effect.epoch, seq: effect.seq };
            await queues.timers.add('gate', data, { ...TIMER_JOB_OPTIONS, delay: effect.delayMs, jobId: jobIds.gate(data) });
            break;
          }
          case 'scheduleHoldEnd': {
            const data = { kind: 'hold' as const, releaseId, stageIndex: effect.stageIndex, epoch: effect.epoch, seq: effect.seq };
            await queues.timers.add('hold', data, { ...TIMER_JOB_OPTIONS, delay: effect.delayMs, jobId: jobIds.hold(data) });
            break;
          }
          case 'releaseLock':
            if (release) await store.releaseLock(release.service, release.environment, releaseId);
            break;
          case 'recordDeployed':
          case 'audit':
            // Written by the save itself: a late dispatch must never overwrite a newer deployed version.
            break;
        }
      }
      if (notifications.length > 0 && notifications.every((n) => n.effect.type === 'updateCard')) {
        // Only the card changed (steady gate readings): one coalesced refresh per card per second,
        // rendered from the state at the end of that second, instead of one delivery per sample.
        const due = (Math.floor(Date.now() / CARD_WINDOW_MS) + 1) * CARD_WINDOW_MS;
        await queues.notify.add(
          'card',
          { releaseId },
          { ...NOTIFY_JOB_OPTIONS, delay: Math.max(0, due - Date.now()), jobId: jobIds.cardRefresh(releaseId, due) },
        );
      } else if (notifications.length > 0) {
        await redis.rpush(keys.notifyList(releaseId), ...notifications.map((n) => JSON.stringify(n)));
        await queues.notify.add('drain', { releaseId }, { ...NOTIFY_JOB_OPTIONS, jobId: jobIds.notify(releaseId, batch.batchId) });
      }
      await store.ackOutbox(releaseId, batch.raw);
    }
    logDispatch(this.deps.log, release, batches.length);
  }
}

function logDispatch(log: Logger, release: Release | null, batches: number): void {
  if (release) log.debug({ releaseId: release.id, batches }, 'dispatched');
}
