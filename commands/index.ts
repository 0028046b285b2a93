// Registers every listener on the Bolt app: one file per surface.
import type { App } from '@slack/bolt';
import type { CommandDeps } from './deps.ts';
import { registerReleaseCommand } from './release.ts';
import { registerReleaseActions } from './actions.ts';
import { registerHome } from './home.ts';
import { registerIncidentCommand } from './incident.ts';
import { registerIncidentActions } from './incident-actions.ts';
import { registerHandoffCommand } from './handoff.ts';
import type { OnCallCommandDeps } from './incident-deps.ts';

/** The slash commands this app registers; a test checks manifest.yml declares exactly these. */
export const SLASH_COMMANDS = ['/release', '/incident', '/handoff'] as const;

export function register(app: App, deps: CommandDeps & OnCallCommandDeps): void {
  registerReleaseCommand(app, deps);
  registerReleaseActions(app, deps);
  registerHome(app, deps);
  registerIncidentCommand(app, deps);
  registerIncidentActions(app, deps);
  registerHandoffCommand(app, deps);
}
