// The workspace's chat.update budget with more cards due than one look at the due set takes in: a
// card whose state changed is still edited before every card whose readings alone changed.
import { describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { memoryLogger } from '../../helpers/runway.ts';
import { BOT_TOKEN } from '../../helpers/slack-runway.ts';
import { limitedWorkspace } from '../../helpers/delivery.ts';
import { CardEdits } from '../../../src/slack/delivery/cards.ts';
import { deliveryClient } from '../../../src/slack/delivery/client.ts';
import { deliveryKeys } from '../../../src/slack/delivery/keys.ts';
import { Pacer } from '../../../src/slack/delivery/pacer.ts';

const redis = useRedis();

describe('the chat.update budget with many cards due', () => {
  it('edits the one card whose state changed before 80 whose readings changed', async () => {
    const ws = await limitedWorkspace();
    try {
      const keys = deliveryKeys(uniquePrefix());
      const conn = redis.connect();
      const pacer = new Pacer(conn, keys, {
        postIntervalMs: 1000,
        postBurst: 3,
        updatesPerMinute: 60,
        updateBurst: 1,
      });
      const cards = new CardEdits(conn, keys, pacer);
      const readings = Array.from({ length: 80 }, (_, i) => `r${String(i).padStart(2, '0')}`);
      const ids = [...readings, 'state'];
      const where = new Map(
        ids.map((id) => [
          id,
          ws.store.postMessage({ channel: 'CRELEASES', user: ws.store.bot.user_id, text: id }).ts,
        ]),
      );
      // Every card was shown as 'steady' a while ago; 80 readings changes come in, then one state change.
      for (const id of ids)
        await conn.hset(keys.card(id), { sentSig: 'steady', sentAt: String(Date.now() - 3_600_000) });
      for (const id of readings) await cards.changed(id, 'steady');
      await cards.changed('state', 'approved');
      await cards.drain({
        client: deliveryClient(BOT_TOKEN, ws.apiUrl),
        render: async (id: string) => ({
          channel: 'CRELEASES',
          ts: where.get(id)!,
          text: id,
          sig: id === 'state' ? 'approved' : 'steady',
        }),
        observer: {},
        log: memoryLogger().log,
        reschedule: async () => undefined,
        sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
        lockTtlMs: 10_000,
        maxInlineWaitMs: 0, // one edit (the budget's one token), then stop
      });
      expect(ws.calls('chat.update').map((c) => c.args.text)).toEqual(['state']);
    } finally {
      await ws.close();
    }
  }, 60_000);
});
