// What must reach people (card updates, thread posts, handoffs, incidents) leaves the engine through
// this interface. The Slack layer implements it; without Slack, LogNotifier writes it to the log.
import type { Logger } from '../log.ts';
import type { Effect, Release } from '../release/types.ts';

export type NotifyEffect = Extract<
  Effect,
  { type: 'updateCard' | 'postInThread' | 'postHandoff' | 'declareIncident' }
>;

export interface Notification {
  /** Deterministic per effect (`<batch>-<index>`): a receiver can drop a repeat. */
  key: string;
  releaseId: string;
  effect: NotifyEffect;
}

export interface Notifier {
  /**
   * Called in order for one release; throwing retries this notification and keeps the order. A
   * PermanentDeliveryError (src/errors.ts) says retrying cannot help: it is set aside after a few tries.
   */
  deliver(notification: Notification, release: Release): Promise<void>;
  /** Re-render the card from the current state (a coalesced, delayed update). */
  refreshCard?(release: Release): Promise<void>;
}

export const NOTIFY_EFFECTS: ReadonlySet<Effect['type']> = new Set([
  'updateCard',
  'postInThread',
  'postHandoff',
  'declareIncident',
]);

export function isNotifyEffect(effect: { type: string }): effect is NotifyEffect {
  return (NOTIFY_EFFECTS as ReadonlySet<string>).has(effect.type);
}

export class LogNotifier implements Notifier {
  constructor(private readonly log: Logger) {}

  async deliver({ effect, releaseId }: Notification, release: Release): Promise<void> {
    const log = this.log.child({ releaseId });
    switch (effect.type) {
      case 'postInThread':
        log.info({ thread: effect.note }, 'thread');
        break;
      case 'updateCard':
        log.debug({ state: release.state, stage: release.stageIndex, traffic: release.traffic }, 'card');
        break;
      case 'postHandoff':
        log.info({ version: release.version }, 'handoff');
        break;
      case 'declareIncident':
        log.warn({ severity: effect.severity, title: effect.title }, 'incident');
        break;
    }
  }
}
