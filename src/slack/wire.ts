// Puts the Slack pieces on a runtime: the notifier that workers deliver through, and the group
// resolver the engine uses for approver checks. Used by `runway start|app|worker` and tests.
import { WebClient } from '@slack/web-api';
import type { Logger } from '../log.ts';
import type { Runtime } from '../runtime.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import { ObservedWebClient } from './client-options.ts';
import { ChannelResolver } from './channels.ts';
import { SlackNotifier } from './notifier.ts';
import { createOnCallServices } from '../incidents/oncall-services.ts';
import { slackInsightThread } from './insight-thread.ts';

export interface SlackWiring {
  client: WebClient;
  channels: ChannelResolver;
  notifier: SlackNotifier;
}

export function slackClient(botToken: string, apiUrl: string): ObservedWebClient {
  return new ObservedWebClient(botToken, apiUrl);
}

export function wireSlack(
  runtime: Runtime,
  opts: { client: WebClient; runbook: () => RunbookContext; log: Logger },
): SlackWiring {
  const { client } = opts;
  const channels = new ChannelResolver(client, opts.log);
  const oncall = createOnCallServices(runtime, { client, channels, runbook: opts.runbook, log: opts.log });
  const notifier = new SlackNotifier({
    client,
    channels,
    engine: runtime.engine,
    runbook: opts.runbook,
    redis: runtime.redis,
    keys: runtime.store.keys,
    log: opts.log,
    scheduleRefresh: (id, delay) => runtime.scheduleCardRefresh(id, delay),
    onHandoff: (release) => oncall.handoff.postReleaseHandoff(release),
    onIncident: (release, effect) => oncall.incidents.requestForRelease(release, effect),
    changelog: (id) => runtime.insight.store.changelog(id),
  });
  runtime.insight.service.useThread(slackInsightThread(client));
  runtime.setNotifier(notifier);
  return { client, channels, notifier };
}
