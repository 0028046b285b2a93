// Notify processor. Takes: a runway-notify job naming a release ('drain', or 'card' for a delayed card
// refresh). Produces: that release's pending
// notifications delivered to the Notifier in order, each at least once, a delivered one not again.
// One process drains a release at a time (a Redis lock); another that finds it busy retries later.
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/log.ts';
import type { StoreKeys } from '../src/store/keys.ts';
import { withLock } from '../src/engine/lock.ts';
import type { Notification, Notifier } from '../src/engine/notifier.ts';
import type { ReleaseStore } from '../src/store/release-store.ts';
import { notifyJobSchema } from '../src/queue/queues.ts';

export interface NotifyProcessorDeps {
  redis: Redis;
  keys: StoreKeys;
  store: ReleaseStore;
  notifier: () => Notifier;
  log: Logger;
}

const DELIVERED_TTL_SECONDS = 7 * 24 * 3600;

/** Another process holds this release's notifications; the job retries shortly (not a failure). */
export class BusyError extends Error {
  override name = 'BusyError';
}

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
    const list = deps.keys.notifyList(releaseId);
    const ran = await withLock(deps.redis, deps.keys.notifyLock(releaseId), 120_000, async () => {
      for (;;) {
        const raw = await deps.redis.lindex(list, 0);
        if (raw === null) return;
        const note = JSON.parse(raw) as Notification;
        const doneKey = deps.keys.delivered(note.key);
        if (!(await deps.redis.exists(doneKey))) {
          const release = await deps.store.get(releaseId);
          if (release) {
            await deps.notifier().deliver(note, release);
            delivered += 1;
          }
          await deps.redis.set(doneKey, '1', 'EX', DELIVERED_TTL_SECONDS);
        }
        await deps.redis.lpop(list);
      }
    });
    if (!ran) throw new BusyError(`notifications of ${releaseId} are being delivered by another worker`);
    if (delivered) deps.log.debug({ releaseId, jobId: job.id, delivered }, 'notified');
    return delivered;
  };
}
