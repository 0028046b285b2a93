// What every listener gets: the engine (the only way to change anything), the store for
// de-duplicating Slack retries, the runbook and the logger. Listeners never touch Redis directly.
import type { Engine } from '../src/engine/engine.ts';
import type { RunbookContext } from '../src/engine/runbook-context.ts';
import type { Logger } from '../src/log.ts';
import type { ReleaseStore } from '../src/store/release-store.ts';

export interface CommandDeps {
  engine: Engine;
  store: Pick<ReleaseStore, 'dedupe'>;
  runbook: () => RunbookContext;
  log: Logger;
}
