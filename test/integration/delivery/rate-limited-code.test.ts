// Slack's `rate_limited` answer (chat.postMessage's documented "posted too many messages", HTTP 200
// with ok:false) is a wait: the post goes through after it, it is never set aside.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { startSlackRunway } from '../../helpers/slack-runway.ts';
import { deliveryOf, ONE_STAGE_YAML, posted } from '../../helpers/delivery.ts';

const redis = useRedis();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('a rate_limited answer', () => {
  it('is retried until the post goes through, in order, and nothing is set aside', async () => {
    const r = await startSlackRunway(redis.url, ONE_STAGE_YAML, { rateLimits: true });
    cleanup.push(() => r.close());
    r.ws.failNext('chat.postMessage', { error: 'rate_limited' }, 2);
    const delivery = deliveryOf(r);
    for (const [i, text] of ['first', 'second'].entries())
      await delivery.post({ key: `rl-${i}`, channel: 'CONCALL', text, kind: 'important', foldKey: 'rel-1' });
    await waitFor('both posts', async () => posted(r.ws, 'CONCALL').length === 2 || null, 20_000);
    expect(posted(r.ws, 'CONCALL').map((c) => c.args.text)).toEqual(['first', 'second']);
    expect((await r.runtime.audit.forRelease('rel-1')).map((e) => e.action)).not.toContain(
      'notification.failed',
    );
  }, 30_000);
});
