// A card edit Slack refuses for good (the card was deleted, its channel archived) is given up like a
// post set aside: logged, and audited on its release. So is a card post Slack refuses (its thread
// lines then go top level).
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { startSlackRunway } from '../../helpers/slack-runway.ts';
import { deliveryOf, ONE_STAGE_YAML } from '../../helpers/delivery.ts';

const redis = useRedis();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('a card edit Slack refuses', () => {
  it('is logged and audited as a failed notification of its release, and not tried again', async () => {
    const r = await startSlackRunway(redis.url, ONE_STAGE_YAML, { rateLimits: true });
    cleanup.push(() => r.close());
    const delivery = deliveryOf(r);
    const { ts } = r.ws.store.postMessage({
      channel: 'CRELEASES',
      user: r.ws.store.bot.user_id,
      text: 'card',
    });
    delivery.renderCards('release', async () => ({ channel: 'CRELEASES', ts, text: 'edited', sig: 's' }));
    r.ws.failNext('chat.update', { error: 'message_not_found' }, 1);
    await delivery.cardChanged('release-rel-7', 's');
    const entry = await waitFor('the audit entry', async () =>
      (await r.runtime.audit.forRelease('rel-7')).find((e) => e.action === 'notification.failed'),
    );
    expect(entry.details).toMatchObject({ kind: 'card-edit', reason: 'message_not_found' });
    expect(r.lines.some((l) => l.includes('card edit refused') && l.includes('message_not_found'))).toBe(
      true,
    );
    await new Promise((res) => setTimeout(res, 1500)); // a retry would show up now
    expect(r.ws.calls('chat.update')).toHaveLength(1);
  }, 30_000);
});

describe('a card post Slack refuses for good', () => {
  it('is audited as a failed notification of its release; its thread lines go top level, as the log says', async () => {
    const r = await startSlackRunway(redis.url, ONE_STAGE_YAML, { rateLimits: true });
    cleanup.push(() => r.close());
    r.ws.failNext('chat.postMessage', { error: 'invalid_blocks' }, 1);
    const started = await r.runtime.engine.start({
      service: 'checkout',
      version: 'v1.2.3',
      requester: 'UALICE',
      originChannel: 'CRELEASES',
    });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;
    const entry = await waitFor('the audit entry', async () =>
      (await r.runtime.audit.forRelease(id)).find((e) => e.action === 'notification.failed'),
    );
    expect(entry.details).toMatchObject({ kind: 'card', reason: 'invalid_blocks' });
    await waitFor('a thread line posted top level', async () =>
      r.lines.some((l) => l.includes(`card-${id}`) && l.includes('posted at top level')),
    );
  }, 30_000);
});
