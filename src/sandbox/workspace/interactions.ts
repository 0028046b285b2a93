// Tokens Slack hands an app with each interaction: a trigger_id (exchangeable once, within 3 s, for a
// modal) and a response_url (usable 5 times within 30 minutes). Both are issued when a request is sent.
import { newId, newTriggerId, type Clock } from './ids.ts';
import type { ResponseTarget, Trigger } from './types.ts';

export type TriggerUse = 'ok' | 'expired' | 'exchanged';

const RESPONSE_URL_TTL_MS = 30 * 60_000;
const RESPONSE_URL_MAX_USES = 5;

export class InteractionStore {
  private readonly triggers = new Map<string, Trigger>();
  private readonly responses = new Map<string, ResponseTarget>();

  constructor(
    private readonly now: Clock,
    private readonly triggerTtlMs: number,
  ) {}

  issueTrigger(user: string): string {
    const id = newTriggerId();
    this.triggers.set(id, { id, user, issuedAt: this.now(), used: false });
    return id;
  }

  /** Exchanges a trigger: an unknown or stale one is expired, a second use is refused. */
  useTrigger(id: string): { result: TriggerUse; user?: string } {
    const trigger = this.triggers.get(id);
    if (!trigger || this.now() - trigger.issuedAt > this.triggerTtlMs) return { result: 'expired' };
    if (trigger.used) return { result: 'exchanged' };
    trigger.used = true;
    return { result: 'ok', user: trigger.user };
  }

  trigger(id: string): Trigger | undefined {
    const trigger = this.triggers.get(id);
    return trigger && { ...trigger };
  }

  issueResponseUrl(target: Omit<ResponseTarget, 'id' | 'issuedAt' | 'uses'>): string {
    const id = newId('R', 16);
    this.responses.set(id, { ...target, id, issuedAt: this.now(), uses: 0 });
    return id;
  }

  /** Counts a use of the response_url; explains a refusal the way Slack does. */
  useResponseUrl(id: string): { target: ResponseTarget } | { error: 'expired_url' | 'used_url' } {
    const target = this.responses.get(id);
    if (!target || this.now() - target.issuedAt > RESPONSE_URL_TTL_MS) return { error: 'expired_url' };
    if (target.uses >= RESPONSE_URL_MAX_USES) return { error: 'used_url' };
    target.uses += 1;
    return { target: { ...target } };
  }
}
