// What the /incident, /handoff and incident-card listeners get besides the release deps: the services
// the composition root builds with a Slack client (absent without one, where the listeners say so).
import type { HandoffService } from '../src/handoff/service.ts';
import type { IncidentService } from '../src/incidents/service.ts';
import type { CommandDeps } from './deps.ts';

export interface OnCallCommandDeps {
  incidents?: IncidentService;
  handoff?: HandoffService;
}

export type AllCommandDeps = CommandDeps & OnCallCommandDeps;

export const NOT_WIRED =
  'Incidents and handoffs are not set up in this Runway process (it has no Slack client).';
