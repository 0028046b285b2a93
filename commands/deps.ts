// What every listener gets: the engine (the only way to change anything), the store for
// de-duplicating Slack retries, the runbook and the logger. Listeners never touch Redis directly.
import type { Engine } from '../src/engine/engine.ts';
import type { RunbookContext } from '../src/engine/runbook-context.ts';
import type { Logger } from '../src/log.ts';
import type { ReleaseStore } from '../src/store/release-store.ts';
import type { DeliveryReport } from '../src/insight/stats.ts';

export interface CommandDeps {
  engine: Engine;
  store: Pick<ReleaseStore, 'dedupe'>;
  runbook: () => RunbookContext;
  log: Logger;
  /** Delivery figures from the audit log (insight), for /release stats and the Home tab. */
  delivery?: (days?: number) => Promise<DeliveryReport>;
}

/**
 * False when this slash command was seen already: Slack re-sends a command whose acknowledgement it
 * did not get in time, with the same trigger_id. The repeat is acknowledged and otherwise ignored.
 */
export async function firstCommandDelivery(
  deps: Pick<CommandDeps, 'store'>,
  command: { trigger_id?: string; command: string },
): Promise<boolean> {
  if (!command.trigger_id) return true;
  return deps.store.dedupe(`command-${command.command}-${command.trigger_id}`, 3600);
}

/** False for a repeat of a click Runway has already handled (Slack retries when an ack is slow). */
export async function firstClickDelivery(
  deps: Pick<CommandDeps, 'store'>,
  user: string,
  action: { action_id: string; action_ts: string },
): Promise<boolean> {
  return deps.store.dedupe(`click-${user}-${action.action_id}-${action.action_ts}`, 3600);
}
