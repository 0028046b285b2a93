// The Slack-facing services of a process with a bot token, built once by the composition root
// (runtime.ts) before any worker or listener starts: the channel resolver, the incident and handoff
// services, and the notifier the workers deliver through.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.ts';
import type { Core } from '../core.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import { ObservedWebClient } from './client-options.ts';
import { ChannelResolver } from './channels.ts';
import { SlackNotifier } from './notifier.ts';
import { createOnCallServices, type OnCallServices } from '../incidents/oncall-services.ts';
import type { InsightThread } from '../insight/service.ts';
import { slackInsightThread } from './insight-thread.ts';

export interface SlackServices {
  client: WebClient;
  channels: ChannelResolver;
  notifier: SlackNotifier;
  oncall: OnCallServices;
  /** Where the insight jobs post their notes and charts. */
  insightThread: InsightThread;
}

export function slackClient(botToken: string, apiUrl: string): ObservedWebClient {
  return new ObservedWebClient(botToken, apiUrl);
}

export function createSlackServices(deps: {
  core: Core;
  client: WebClient;
  runbook: () => RunbookContext;
  log: Logger;
}): SlackServices {
  const { core, client, runbook, log } = deps;
  const channels = new ChannelResolver(client, log);
  const oncall = createOnCallServices({ core, client, channels, runbook, log });
  const notifier = new SlackNotifier({
    client,
    channels,
    engine: core.engine,
    runbook,
    redis: core.redis,
    keys: core.keys,
    log,
    scheduleRefresh: (id, delay) => core.scheduleCardRefresh(id, delay),
    onHandoff: (release) => oncall.handoff.postReleaseHandoff(release),
    onIncident: (release, effect) => oncall.incidents.requestForRelease(release, effect),
    changelog: (id) => core.insight.store.changelog(id),
  });
  return { client, channels, notifier, oncall, insightThread: slackInsightThread(client) };
}
