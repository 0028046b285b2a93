// Card edits under one chat.update budget for the workspace (shared by every process): a card that
// needs an edit waits in a Redis set, due when its gap since its last edit is over. A state change
// waits one second (as before); a readings change waits longer the more cards compete, so the
// budget goes first to cards whose state changed. Each edit renders the card as it is then.
import type { Redis } from 'ioredis';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../log.ts';
import { runScript } from '../../store/scripts.ts';
import type { DeliveryKeys } from './keys.ts';
import type { DeliveryObserver } from './observer.ts';
import { outcomeOf, transientBackoffMs } from './outcome.ts';
import { UPDATE_SCOPE, type Pacer } from './pacer.ts';
import { deliveryScripts } from './scripts.ts';
import type { CardRender } from './types.ts';
import { letGo, takeLock } from '../../store/token-lock.ts';

/** At most one edit of a card a second: what Runway did before the budget existed. */
export const CARD_MIN_GAP_MS = 1000;

/** How long a card's readings wait when `competing` cards share `perMinute` edits (pure). */
export function readingsGapMs(competing: number, perMinute: number): number {
  return Math.max(CARD_MIN_GAP_MS, Math.ceil((Math.max(1, competing) * 60_000) / perMinute));
}

export interface CardDrainDeps {
  client: WebClient;
  /** The card as it should look now; null when there is nothing to edit (no card, gone). */
  render(id: string): Promise<CardRender | null>;
  observer: DeliveryObserver;
  /** Told of a card edit given up for good (the runtime audits it). */
  refused?(card: string, reason: string): Promise<void>;
  log: Logger;
  /** Drain again after `delayMs` (a delayed job). */
  reschedule(delayMs: number): Promise<void>;
  sleep(ms: number): Promise<void>;
  lockTtlMs: number;
  maxInlineWaitMs: number;
}

export class CardEdits {
  private failures = 0;

  constructor(
    private readonly redis: Redis,
    private readonly keys: DeliveryKeys,
    private readonly pacer: Pacer,
    private readonly now: () => number = Date.now,
  ) {}

  /** A card changed: when its edit is due (ms from now), and whether it joined one already waiting. */
  async changed(id: string, sig: string): Promise<{ inMs: number; joined: boolean }> {
    const competing = await this.redis.zcard(this.keys.cards());
    const gap = readingsGapMs(competing + 1, this.pacer.settings.updatesPerMinute);
    const now = this.now();
    const [waiting] = (await runScript(
      this.redis,
      deliveryScripts.markCard,
      [this.keys.cards(), this.keys.card(id)],
      [id, sig, String(now), String(CARD_MIN_GAP_MS), String(gap)],
    )) as [number, number];
    const due = Number(await this.redis.zscore(this.keys.cards(), id)) || now;
    return { inMs: Math.max(0, due - now), joined: waiting === 1 };
  }

  /** Cards waiting for an edit. */
  pending(): Promise<number> {
    return this.redis.zcard(this.keys.cards());
  }

  /** When the next edit is due (ms from now), or null when none waits. */
  async nextDue(): Promise<number | null> {
    const first = await this.redis.zrange(this.keys.cards(), 0, 0, 'WITHSCORES');
    return first[1] === undefined ? null : Math.max(0, Number(first[1]) - this.now());
  }

  /** Spends the budget on due cards, state changes first; returns how many edits were made. */
  async drain(deps: CardDrainDeps): Promise<number> {
    let edits = 0;
    for (;;) {
      const lock = this.keys.cardsLock();
      const token = await takeLock(this.redis, lock, deps.lockTtlMs);
      if (!token) return edits;
      let wait: number | null;
      try {
        wait = await this.drainHeld(deps, () => (edits += 1));
      } finally {
        // Only our own lock (a lock that expired and was taken over is the new holder's).
        await letGo(this.redis, lock, token);
      }
      // A change marked while the lock was let go is due now or later: look again, or come back then.
      const next = await this.nextDue();
      if (next === null) return edits;
      if (next > 0 || wait !== null) {
        await deps.reschedule(Math.max(next, wait ?? 0));
        return edits;
      }
    }
  }

  /** Edits due cards until none is due; a wait longer than a moment is returned (ms). */
  private async drainHeld(deps: CardDrainDeps, made: () => void): Promise<number | null> {
    for (;;) {
      const now = this.now();
      // Every due card, not the oldest few: a backlog of overdue readings edits (many releases at
      // once) must not hide a state change queued behind it.
      const due = await this.redis.zrangebyscore(this.keys.cards(), '-inf', now);
      if (due.length === 0) return null;
      const priorities = await this.priorities(due);
      const index = priorities.findIndex((p) => p === '2');
      const id = due[index === -1 ? 0 : index]!;
      const wait = await this.pacer.takeUpdate();
      if (wait > 0) {
        deps.observer.deferred?.();
        if (wait > deps.maxInlineWaitMs) return wait;
        await deps.sleep(wait);
        continue;
      }
      await this.redis.pexpire(this.keys.cardsLock(), deps.lockTtlMs);
      const gen = (await this.redis.hget(this.keys.card(id), 'gen')) ?? '0';
      const card = await deps.render(id);
      if (!card) {
        await this.sent(id, gen, '');
        continue;
      }
      try {
        await deps.client.chat.update({
          channel: card.channel,
          ts: card.ts,
          text: card.text,
          ...(card.blocks ? { blocks: card.blocks } : {}),
        });
        this.failures = 0;
        made();
        await this.sent(id, gen, card.sig);
      } catch (error) {
        const outcome = outcomeOf(error);
        if (outcome.type === 'rate_limited') {
          deps.observer.rateLimited?.('chat.update');
          await this.pacer.hold(UPDATE_SCOPE, outcome.retryAfterMs);
        } else if (outcome.type === 'transient') {
          deps.observer.retried?.(outcome.reason);
          this.failures += 1;
          await this.pacer.hold(UPDATE_SCOPE, transientBackoffMs(this.failures));
        } else {
          // A card that cannot be edited (deleted, archived channel): the thread still carries the facts.
          const reason = outcome.type === 'permanent' ? outcome.code : outcome.type;
          deps.log.warn({ card: id, err: reason }, 'card edit refused');
          await deps.refused?.(id, reason);
          await this.sent(id, gen, '');
        }
      }
    }
  }

  /** Each card's edit priority ('2': its state changed), read in one round trip. */
  private async priorities(ids: readonly string[]): Promise<(string | null)[]> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.keys.card(id), 'priority');
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, value]) => {
      if (error) throw error;
      return typeof value === 'string' ? value : null;
    });
  }

  private async sent(id: string, gen: string, sig: string): Promise<void> {
    const competing = await this.redis.zcard(this.keys.cards());
    const gap = readingsGapMs(competing, this.pacer.settings.updatesPerMinute);
    await runScript(
      this.redis,
      deliveryScripts.cardSent,
      [this.keys.cards(), this.keys.card(id)],
      [id, gen, String(this.now()), sig, String(gap), String(CARD_MIN_GAP_MS)],
    );
  }
}
