// With no on-call channel the release handoff goes in the release thread, even when the card is still
// waiting in its lane (Slack held it back): it queues under the card by name and is threaded once the
// card is posted, instead of being dropped.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor, waitForState } from '../../helpers/runway.ts';
import { startSlackRunway } from '../../helpers/slack-runway.ts';

const redis = useRedis();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const NO_ON_CALL_YAML = `
version: 1
channels: { releases: "#releases" }
defaults: { approvals: { required: 0 } }
services:
  checkout:
    environments:
      production:
        actions: { deploy: { command: ["true"] }, rollback: { command: ["true"] } }
        stages: [deploy]
`;

describe('the release handoff without an on-call channel', () => {
  it('lands in the release thread once a card Slack held back is posted', async () => {
    const r = await startSlackRunway(redis.url, NO_ON_CALL_YAML, { rateLimits: true });
    cleanup.push(() => r.close());
    r.ws.failNext('chat.postMessage', { status: 429, retryAfter: 3 });
    const started = await r.runtime.engine.start({
      service: 'checkout',
      version: 'v1.2.3',
      requester: 'UALICE',
      originChannel: 'CRELEASES',
    });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;
    const done = await waitForState(r.runtime, id, ['completed', 'rolled_back', 'failed']);
    expect(done.state).toBe('completed');
    expect(done.card).toBeUndefined(); // the release ended while its card still waited
    const card = await waitFor('the card posted', async () => (await r.runtime.store.get(id))?.card, 15_000);
    const handoff = await waitFor(
      'the handoff in the release thread',
      async () => r.ws.store.replies(card.channel, card.ts).find((m) => m.text.startsWith('Release handoff')),
      15_000,
    );
    expect(handoff.thread_ts).toBe(card.ts);
    const audit = await waitFor('the audit entry', async () =>
      (await r.runtime.audit.forRelease(id)).find((e) => e.action === 'handoff.release_posted'),
    );
    expect(audit.details).toMatchObject({ channel: card.channel });
  }, 40_000);
});
