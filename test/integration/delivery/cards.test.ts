// The workspace's chat.update budget on a real Redis against the workspace fake with its limits on:
// a card whose state changed is edited before cards whose readings alone changed, and the readings
// of many competing cards refresh less often, within the budget.
import { describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { memoryLogger } from '../../helpers/runway.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../../helpers/slack-runway.ts';
import { startTestWorkspace } from '../../helpers/workspace.ts';
import { CardEdits } from '../../../src/slack/delivery/cards.ts';
import { deliveryClient } from '../../../src/slack/delivery/client.ts';
import { deliveryKeys } from '../../../src/slack/delivery/keys.ts';
import { Pacer } from '../../../src/slack/delivery/pacer.ts';

const redis = useRedis();

describe('the chat.update budget', () => {
  it('edits the card whose state changed first; readings of competing cards wait their turn', async () => {
    const ws = await startTestWorkspace({
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      rateLimits: true,
    });
    try {
      const keys = deliveryKeys(uniquePrefix());
      const conn = redis.connect();
      const pacer = new Pacer(conn, keys, {
        postIntervalMs: 1000,
        postBurst: 3,
        updatesPerMinute: 120,
        updateBurst: 1,
      });
      const cards = new CardEdits(conn, keys, pacer);
      const ids = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
      const where = new Map(
        ids.map((id) => [
          id,
          ws.store.postMessage({ channel: 'CRELEASES', user: ws.store.bot.user_id, text: id }).ts,
        ]),
      );
      const sig = new Map(ids.map((id) => [id, 'steady']));
      const deps = {
        client: deliveryClient(BOT_TOKEN, ws.apiUrl),
        render: async (id: string) => ({
          channel: 'CRELEASES',
          ts: where.get(id)!,
          text: `${id} ${sig.get(id)}`,
          sig: sig.get(id)!,
        }),
        observer: {},
        log: memoryLogger().log,
        reschedule: async () => undefined,
        sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
        lockTtlMs: 10_000,
        maxInlineWaitMs: 5000,
      };
      const drainAll = async () => {
        while ((await cards.pending()) > 0) {
          await cards.drain(deps);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      for (const id of ids) await cards.changed(id, 'steady');
      await drainAll(); // every card shown once
      const shown = ws.calls('chat.update').length;
      expect(shown).toBe(6);

      // A second later (a card is never edited twice within one), five cards' readings change, then
      // one card's state does: all six are due, and the state change goes first.
      await new Promise((r) => setTimeout(r, 1200));
      for (const id of ids.slice(0, 5)) await cards.changed(id, 'steady');
      sig.set('c6', 'approved');
      await cards.changed('c6', 'approved');
      await drainAll();
      const edits = ws.calls('chat.update').slice(shown);
      expect(edits.map((c) => String(c.args.text).split(' ')[0])[0]).toBe('c6');
      expect(edits).toHaveLength(6);
      // Within the budget (2 a second here) and never a 429.
      expect(ws.calls('chat.update').filter((c) => c.error === 'ratelimited')).toEqual([]);
      const span = edits[edits.length - 1]!.at - edits[0]!.at;
      expect(span).toBeGreaterThanOrEqual(2000); // 6 edits at one per 500 ms
    } finally {
      await ws.close();
    }
  }, 60_000);
});
