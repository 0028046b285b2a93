// The notification path on a real redis-server: the list, its drain lock, delivered markers, the
// drain processor (order, at least once, a repeat dropped, a failure keeping its place, two drains at
// once delivering each notification once) and the sweep's view of stranded lists.
import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createNotifyProcessor } from '../../../jobs/notify.ts';
import type { Notification, Notifier } from '../../../src/engine/notifier.ts';
import { PermanentDeliveryError } from '../../../src/errors.ts';
import { createLogger } from '../../../src/log.ts';
import type { Release } from '../../../src/release/types.ts';
import { NotificationQueue } from '../../../src/store/notification-queue.ts';
import { ReleaseStore } from '../../../src/store/release-store.ts';
import { uniquePrefix, useRedis } from '../../helpers/redis.ts';
import { makeRelease } from './release-fixture.ts';

const redis = useRedis();

function note(releaseId: string, key: string, text = key): Notification {
  return { key, releaseId, effect: { type: 'postInThread', note: { kind: 'preflightFailed', title: text } } };
}

/** Records what it was given; fails the listed keys once (or always). */
class RecordingNotifier implements Notifier {
  readonly delivered: string[] = [];
  constructor(
    private readonly failOnce = new Set<string>(),
    private readonly delayMs = 0,
  ) {}
  async deliver(n: Notification, _release: Release): Promise<void> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failOnce.delete(n.key)) throw new Error(`Slack said 500 for ${n.key}`);
    this.delivered.push(n.key);
  }
}

async function setup() {
  const prefix = uniquePrefix();
  const client = redis.connect();
  const store = new ReleaseStore(client, prefix);
  const queue = new NotificationQueue(client, store.keys);
  const release = makeRelease();
  await store.create(release, { lock: true, effects: [], audit: [] });
  const drainWith = (notifier: Notifier, lockTtlMs?: number) =>
    createNotifyProcessor({
      notifications: queue,
      store,
      notifier,
      log: createLogger({ level: 'silent' }),
      ...(lockTtlMs ? { lockTtlMs } : {}),
    });
  const job = { name: 'drain', id: 'j1', data: { releaseId: release.id } } as unknown as Job;
  return { client, store, queue, release, drainWith, job };
}

describe('the notification queue', () => {
  it('says whether a push found the list empty, i.e. whether a drain must be queued', async () => {
    const { queue, release } = await setup();
    expect(await queue.push(release.id, [note(release.id, 'a')])).toBe(true);
    expect(await queue.push(release.id, [note(release.id, 'b'), note(release.id, 'c')])).toBe(false);
    expect((await queue.head(release.id, 10)).map((h) => h.note.key)).toEqual(['a', 'b', 'c']);
    expect(await queue.push(release.id, [])).toBe(false);
  });

  it('lets one drainer hold a release at a time, and only the holder trims the list', async () => {
    const { queue, release } = await setup();
    await queue.push(release.id, [note(release.id, 'a'), note(release.id, 'b')]);
    const token = await queue.lock(release.id, 60_000);
    expect(token).not.toBeNull();
    expect(await queue.lock(release.id, 60_000)).toBeNull();
    expect(await queue.finishRound(release.id, 2, 'not-the-holder')).toBe(2); // nothing trimmed
    expect(await queue.finishRound(release.id, 1, token!)).toBe(1);
    expect(await queue.lock(release.id, 60_000)).not.toBeNull(); // let go
  });

  it('lists as stranded only releases with notifications and no drainer', async () => {
    const { queue, release } = await setup();
    expect(await queue.stranded()).toEqual([]);
    await queue.push(release.id, [note(release.id, 'a')]);
    expect(await queue.stranded()).toEqual([release.id]);
    const token = await queue.lock(release.id, 60_000);
    expect(await queue.stranded()).toEqual([]);
    expect(await queue.finishRound(release.id, 1, token!)).toBe(0);
    expect(await queue.stranded()).toEqual([]); // empty: off the pending set
  });
});

describe('the drain processor', () => {
  it('delivers in order, once, and empties the list', async () => {
    const { queue, release, drainWith, job } = await setup();
    const keys = Array.from({ length: 120 }, (_, i) => `n${i}`); // more than one round of 50
    await queue.push(
      release.id,
      keys.map((k) => note(release.id, k)),
    );
    const notifier = new RecordingNotifier();
    expect(await drainWith(notifier)(job)).toBe(120);
    expect(notifier.delivered).toEqual(keys);
    expect(await drainWith(notifier)(job)).toBe(0);
    expect(await queue.head(release.id, 10)).toEqual([]);
  });

  it('makes one card edit per round (the last), in its place among the posts', async () => {
    const { queue, release, drainWith, job } = await setup();
    const card = (key: string): Notification => ({
      key,
      releaseId: release.id,
      effect: { type: 'updateCard' },
    });
    await queue.push(release.id, [card('c1'), note(release.id, 'a'), card('c2'), note(release.id, 'b')]);
    const notifier = new RecordingNotifier();
    expect(await drainWith(notifier)(job)).toBe(3);
    expect(notifier.delivered).toEqual(['a', 'c2', 'b']);
  });

  it('drops a notification pushed again after it was delivered (a re-dispatched batch)', async () => {
    const { queue, release, drainWith, job } = await setup();
    const notifier = new RecordingNotifier();
    await queue.push(release.id, [note(release.id, 'a'), note(release.id, 'b')]);
    await drainWith(notifier)(job);
    await queue.push(release.id, [note(release.id, 'a'), note(release.id, 'b'), note(release.id, 'c')]);
    await drainWith(notifier)(job);
    expect(notifier.delivered).toEqual(['a', 'b', 'c']);
  });

  it('keeps a failed notification at the head, in order, for the retry', async () => {
    const { queue, release, drainWith, job } = await setup();
    await queue.push(
      release.id,
      ['a', 'b', 'c'].map((k) => note(release.id, k)),
    );
    const notifier = new RecordingNotifier(new Set(['b']));
    await expect(drainWith(notifier)(job)).rejects.toThrow('Slack said 500 for b');
    expect((await queue.head(release.id, 10)).map((h) => h.note.key)).toEqual(['b', 'c']);
    expect(await queue.lock(release.id, 10)).not.toBeNull(); // the failed drain let go of its lock
    await new Promise((r) => setTimeout(r, 20));
    await drainWith(notifier)(job);
    expect(notifier.delivered).toEqual(['a', 'b', 'c']);
  });

  it('sets aside a notification its receiver refuses for good after three tries, and goes on', async () => {
    const { queue, store, release, job } = await setup();
    await queue.push(
      release.id,
      ['a', 'b'].map((k) => note(release.id, k)),
    );
    const given: string[] = [];
    const refusing: Notifier = {
      async deliver(n) {
        if (n.key === 'a') throw new PermanentDeliveryError('channel_not_found');
        given.push(n.key);
      },
    };
    const setAside: string[] = [];
    const drain = createNotifyProcessor({
      notifications: queue,
      store,
      notifier: refusing,
      log: createLogger({ level: 'silent' }),
      onGiveUp: async (n, _r, reason) => {
        setAside.push(`${n.key}: ${reason}`);
      },
    });
    for (let attempt = 1; attempt < 3; attempt += 1) {
      await expect(drain(job)).rejects.toThrow(PermanentDeliveryError);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(given).toEqual([]);
    expect(await drain(job)).toBe(1);
    expect(setAside).toEqual(['a: channel_not_found']);
    expect(given).toEqual(['b']);
  });

  it('two drains at once deliver each notification once, including ones pushed meanwhile', async () => {
    const { queue, release, drainWith, job } = await setup();
    const notifier = new RecordingNotifier(new Set(), 2);
    await queue.push(
      release.id,
      ['a', 'b', 'c'].map((k) => note(release.id, k)),
    );
    const first = drainWith(notifier)(job);
    const second = drainWith(notifier)(job);
    await new Promise((r) => setTimeout(r, 3));
    await queue.push(
      release.id,
      ['d', 'e'].map((k) => note(release.id, k)),
    );
    const third = drainWith(notifier)(job); // finds the lock held: the holder goes round again
    await Promise.all([first, second, third]);
    expect(notifier.delivered).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await queue.head(release.id, 10)).toEqual([]);
  });

  it('takes over from a drainer that died holding the lock once its lock expires', async () => {
    const { queue, release, drainWith, job } = await setup();
    await queue.push(
      release.id,
      ['a', 'b'].map((k) => note(release.id, k)),
    );
    expect(await queue.lock(release.id, 100)).not.toBeNull(); // a drainer that then dies
    const notifier = new RecordingNotifier();
    expect(await drainWith(notifier)(job)).toBe(0);
    expect(await queue.stranded()).toEqual([]); // still locked
    await new Promise((r) => setTimeout(r, 150));
    expect(await queue.stranded()).toEqual([release.id]); // the sweep queues a drain for it
    expect(await drainWith(notifier)(job)).toBe(2);
    expect(notifier.delivered).toEqual(['a', 'b']);
  });
});

describe('the outbox claim', () => {
  it('reads the batches with the lock, refuses a second claimer, and trims only what was handled', async () => {
    const { store, release } = await setup();
    const saved = { ...release, rev: release.rev + 1 };
    await store.save(saved, release.rev, { effects: [{ type: 'updateCard' }], audit: [] });
    await store.save({ ...saved, rev: saved.rev + 1 }, saved.rev, {
      effects: [{ type: 'postHandoff' }],
      audit: [],
    });
    const batches = await store.claimOutbox(release.id, 't1', 60_000);
    expect(batches?.map((b) => b.effects)).toEqual([[{ type: 'updateCard' }], [{ type: 'postHandoff' }]]);
    expect(await store.claimOutbox(release.id, 't2', 60_000)).toBeNull();
    expect(await store.finishOutbox(release.id, 2, 'not-the-holder')).toBe(2);
    expect(await store.finishOutbox(release.id, 1, 't1')).toBe(1);
    expect(await store.pendingOutbox()).toEqual([release.id]);
    const rest = await store.claimOutbox(release.id, 't3', 60_000);
    expect(rest?.map((b) => b.effects)).toEqual([[{ type: 'postHandoff' }]]);
    expect(await store.finishOutbox(release.id, 1, 't3')).toBe(0);
    expect(await store.pendingOutbox()).toEqual([]);
    expect(await store.claimOutbox(release.id, 't4', 60_000)).toEqual([]);
  });
});
