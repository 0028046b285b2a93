// Builds the Slack-facing incident and handoff services from the core's parts. The composition root
// (runtime.ts) builds them once, before the workers and listeners that are handed them.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import type { Core } from '../core.ts';
import type { ChannelResolver } from '../slack/channels.ts';
import type { SlackDelivery } from '../slack/delivery/service.ts';
import type { IncidentDeps } from './deps.ts';
import { HandoffService } from '../handoff/service.ts';
import { HandoffStore } from '../handoff/handoff-store.ts';
import { IncidentStore } from './incident-store.ts';
import { IncidentService } from './service.ts';

export interface OnCallServices {
  incidents: IncidentService;
  handoff: HandoffService;
}

export interface OnCallDeps {
  core: Pick<Core, 'redis' | 'keys' | 'store' | 'audit' | 'queues' | 'insight'>;
  client: WebClient;
  delivery: SlackDelivery;
  releaseThread: IncidentDeps['releaseThread'];
  channels: ChannelResolver;
  runbook: () => RunbookContext;
  log: Logger;
  now?: () => Date;
}

export function createOnCallServices(deps: OnCallDeps): OnCallServices {
  const { core } = deps;
  const now = deps.now ?? (() => new Date());
  const incidentStore = new IncidentStore(core.redis, core.keys);
  const incidents = new IncidentService({
    client: deps.client,
    delivery: deps.delivery,
    releaseThread: deps.releaseThread,
    channels: deps.channels,
    incidents: incidentStore,
    releases: core.store,
    audit: core.audit,
    queue: core.queues.incidents,
    runbook: deps.runbook,
    log: deps.log.child({ component: 'incidents' }),
    now,
  });
  const handoff = new HandoffService({
    client: deps.client,
    delivery: deps.delivery,
    releaseThread: deps.releaseThread,
    channels: deps.channels,
    releases: core.store,
    incidents: incidentStore,
    store: new HandoffStore(core.redis, core.keys),
    audit: core.audit,
    runbook: deps.runbook,
    log: deps.log.child({ component: 'handoff' }),
    now,
    changelog: (id) => core.insight.store.changelog(id),
  });
  return { incidents, handoff };
}
