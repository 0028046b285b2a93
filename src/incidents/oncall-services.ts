// Builds the Slack-facing incident and handoff services on a runtime. wireSlack calls it, puts them in
// the runtime's `oncall` slot (the incident and handoff workers, and the Slack listeners, use them
// from there) and gives the notifier its hooks.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import type { Runtime } from '../runtime.ts';
import type { ChannelResolver } from '../slack/channels.ts';
import { HandoffService } from '../handoff/service.ts';
import { HandoffStore } from '../handoff/handoff-store.ts';
import { IncidentStore } from './incident-store.ts';
import { IncidentService } from './service.ts';

/** The incident and handoff services, once Slack is wired (a runtime without Slack has neither). */
export interface OnCallSlot {
  incidents?: IncidentService;
  handoff?: HandoffService;
}

export interface OnCallServices {
  incidents: IncidentService;
  handoff: HandoffService;
}

export function createOnCallServices(
  runtime: Runtime,
  opts: {
    client: WebClient;
    channels: ChannelResolver;
    runbook: () => RunbookContext;
    log: Logger;
    now?: () => Date;
  },
): OnCallServices {
  const now = opts.now ?? (() => new Date());
  const incidentStore = new IncidentStore(runtime.redis, runtime.keys);
  const incidents = new IncidentService({
    client: opts.client,
    channels: opts.channels,
    incidents: incidentStore,
    releases: runtime.store,
    audit: runtime.audit,
    queue: runtime.queues.incidents,
    runbook: opts.runbook,
    log: opts.log.child({ component: 'incidents' }),
    now,
  });
  const handoff = new HandoffService({
    client: opts.client,
    channels: opts.channels,
    releases: runtime.store,
    incidents: incidentStore,
    store: new HandoffStore(runtime.redis, runtime.keys),
    audit: runtime.audit,
    runbook: opts.runbook,
    log: opts.log.child({ component: 'handoff' }),
    now,
    changelog: (id) => runtime.insight.store.changelog(id),
  });
  runtime.oncall.incidents = incidents;
  runtime.oncall.handoff = handoff;
  return { incidents, handoff };
}
