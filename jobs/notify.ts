// Notify processor. Takes: a runway-notify job naming a release ('drain'; 'card', a delayed card
// refresh, is only queued by versions before card refreshes moved to a due set:
// jobs/card-refresher.ts). Produces: that release's pending notifications delivered to the Notifier
// in order, each at least once, a delivered one not again.
// One process drains a release at a time (a Redis lock). A job that finds the lock taken has nothing
// to do: the holder checks the list again in the same step that lets go of the lock, so it delivers
// whatever was pushed meanwhile. A holder that dies leaves its lock to expire; the sweep then queues a
// new drain.
import type { Job } from 'bullmq';
import type { Logger } from '../src/log.ts';
import type { Notification, Notifier } from '../src/engine/notifier.ts';
import { PermanentDeliveryError } from '../src/errors.ts';
import type { Release } from '../src/release/types.ts';
import type { NotificationQueue } from '../src/store/notification-queue.ts';
import type { ReleaseStore } from '../src/store/release-store.ts';
import { notifyJobSchema } from '../src/queue/queues.ts';
import { refreshCardOf } from './card-refresher.ts';

export interface NotifyProcessorDeps {
  notifications: NotificationQueue;
  store: ReleaseStore;
  notifier: Notifier;
  log: Logger;
  /** How long a drain may hold a release before another process may take over (default 120 s). */
  lockTtlMs?: number;
  /** Told when a notification is set aside for good (the runtime audits it). */
  onGiveUp?: (note: Notification, release: Release, reason: string) => Promise<void>;
}

/** Notifications read per round: one release read and one MGET serve them all. */
const ROUND_SIZE = 50;

/** Attempts at a notification that fails in a way retrying cannot fix, before it is set aside. */
const PERMANENT_FAILURES_ALLOWED = 3;

/**
 * Delivers one notification. A failure the receiver will answer the same way every time (a
 * PermanentDeliveryError: no such channel, archived) is retried a few times, then set aside with an error in the log and the audit log, so
 * it does not hold back everything after it; any other failure is thrown and retried until it works.
 * False when it was set aside.
 */
async function deliverOrGiveUp(
  deps: NotifyProcessorDeps,
  note: Notification,
  release: Release,
): Promise<boolean> {
  try {
    await deps.notifier.deliver(note, release);
    return true;
  } catch (error) {
    if (!(error instanceof PermanentDeliveryError)) throw error;
    const failures = await deps.notifications.countFailure(note.key);
    if (failures < PERMANENT_FAILURES_ALLOWED) throw error;
    const reason = error.message;
    deps.log.error(
      { releaseId: release.id, notification: note.key, kind: note.effect.type, err: reason },
      'notification set aside: its receiver refuses it every time',
    );
    await deps.onGiveUp?.(note, release, reason);
    return false;
  }
}

export function createNotifyProcessor(deps: NotifyProcessorDeps) {
  return async (job: Job): Promise<number> => {
    const { releaseId } = notifyJobSchema.parse(job.data);
    if (job.name === 'card') {
      // A coalesced card refresh queued by an older version: render whatever the release is now.
      await refreshCardOf(deps, releaseId);
      return 0;
    }
    let delivered = 0;
    for (;;) {
      const token = await deps.notifications.lock(releaseId, deps.lockTtlMs ?? 120_000);
      if (token === null) break; // another process is draining; it will see what we came for
      let handled = 0;
      try {
        const head = await deps.notifications.head(releaseId, ROUND_SIZE);
        // The release as it is now: cards render from it; later changes bring their own notifications.
        const release = head.length > 0 ? await deps.store.get(releaseId) : null;
        // Every card edit of a round renders the same release: only the last one is made.
        const lastCard = head.map(({ note }) => note.effect.type).lastIndexOf('updateCard');
        for (const [i, { note, delivered: before }] of head.entries()) {
          const isCard = note.effect.type === 'updateCard';
          if (!before && release && (!isCard || i === lastCard)) {
            if (await deliverOrGiveUp(deps, note, release)) delivered += 1;
            // A card edit may be repeated harmlessly; posts, handoffs and incidents must not be.
            if (!isCard) await deps.notifications.markDelivered(note.key);
          }
          handled += 1;
        }
      } catch (err) {
        // Keep the failed notification at the head (order matters); the job is retried with backoff.
        await deps.notifications.finishRound(releaseId, handled, token);
        throw err;
      }
      const left = await deps.notifications.finishRound(releaseId, handled, token);
      if (left === 0) break;
    }
    if (delivered) deps.log.debug({ releaseId, jobId: job.id, delivered }, 'notified');
    return delivered;
  };
}
