// Flags one process raises for another outside a release's state: "stop this running action" (set
// by the dispatcher for a cancelAction effect, polled by the step that runs the action).
import type { Redis } from 'ioredis';
import type { StoreKeys } from './keys.ts';

/** How long a cancel request for a running action stays readable. */
const CANCEL_TTL_SECONDS = 24 * 3600;

export class ControlFlags {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  /** Ask whoever runs the action with this key to stop it (idempotent). */
  async requestCancel(actionKey: string): Promise<void> {
    await this.redis.set(this.keys.cancel(actionKey), '1', 'EX', CANCEL_TTL_SECONDS);
  }

  async isCancelled(actionKey: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.cancel(actionKey))) === 1;
  }
}
