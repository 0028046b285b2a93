// Notify processor. Takes: a runway-notify job naming a release ('drain', or 'card' for a delayed card
// refresh). Produces: that release's pending notifications delivered to the Notifier in order, each at
// least once, a delivered one not again.
// One process drains a release at a time (a Redis lock). A job that finds the lock taken has nothing
// to do: the holder checks the list again in the same step that lets go of the lock, so it delivers
// whatever was pushed meanwhile. A holder that dies leaves its lock to expire; the sweep then queues a
// new drain.
import type { Job } from 'bullmq';
import type { Logger } from '../src/log.ts';
import type { Notifier } from '../src/engine/notifier.ts';
import type { NotificationQueue } from '../src/store/notification-queue.ts';
import type { ReleaseStore } from '../src/store/release-store.ts';
import { notifyJobSchema } from '../src/queue/queues.ts';

export interface NotifyProcessorDeps {
  notifications: NotificationQueue;
  store: ReleaseStore;
  notifier: () => Notifier;
  log: Logger;
  /** How long a drain may hold a release before another process may take over (default 120 s). */
  lockTtlMs?: number;
}

/** Notifications read per round: one release read and one MGET serve them all. */
const ROUND_SIZE = 50;

export function createNotifyProcessor(deps: NotifyProcessorDeps) {
  return async (job: Job): Promise<number> => {
    const { releaseId } = notifyJobSchema.parse(job.data);
    if (job.name === 'card') {
      // A coalesced card refresh: render whatever the release is now.
      const release = await deps.store.get(releaseId);
      const notifier = deps.notifier();
      if (release && notifier.refreshCard) await notifier.refreshCard(release);
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
            await deps.notifier().deliver(note, release);
            // A card edit may be repeated harmlessly; posts, handoffs and incidents must not be.
            if (!isCard) await deps.notifications.markDelivered(note.key);
            delivered += 1;
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
