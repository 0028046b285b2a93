// The Slack-facing services of a process with a bot token, built once by the composition root
// (runtime.ts) before any worker or listener starts: the delivery layer (with its own WebClient), the
// channel resolver, the incident and handoff services, and the notifier the workers deliver through.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.ts';
import type { Core } from '../core.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import type { RunwayMetrics } from '../observability/metrics.ts';
import { ObservedWebClient } from './client-options.ts';
import { ChannelResolver } from './channels.ts';
import { SlackNotifier } from './notifier.ts';
import { createOnCallServices, type OnCallServices } from '../incidents/oncall-services.ts';
import { SlackDelivery } from './delivery/service.ts';
import { deliveryClient } from './delivery/client.ts';
import type { DeliveryHooks } from './delivery/observer.ts';
import type { PaceSettings } from './delivery/pacer.ts';
import type { InsightThread } from '../insight/service.ts';
import type { Release } from '../release/types.ts';
import { slackInsightThread } from './insight-thread.ts';

export interface SlackServices {
  client: WebClient;
  channels: ChannelResolver;
  notifier: SlackNotifier;
  oncall: OnCallServices;
  delivery: SlackDelivery;
  /** Where the insight jobs post their notes and charts. */
  insightThread: InsightThread;
}

/** How the delivery layer is tuned; every field has a default. */
export interface DeliverySettings {
  /** Posts and card edits; built from the client's token and URL when absent. */
  client?: WebClient;
  pace?: Partial<PaceSettings>;
  lockTtlMs?: number;
}

export function slackClient(botToken: string, apiUrl: string): ObservedWebClient {
  return new ObservedWebClient(botToken, apiUrl);
}

export function createSlackServices(deps: {
  core: Core;
  /** Channels, groups, incidents' channel management: the retrying client. */
  client: WebClient;
  runbook: () => RunbookContext;
  log: Logger;
  metrics?: RunwayMetrics;
  delivery?: DeliverySettings;
}): SlackServices {
  const { core, client, runbook, log, metrics } = deps;
  const settings = deps.delivery ?? {};
  const channels = new ChannelResolver(client, log);
  const direct = settings.client ?? deliveryClient(client.token ?? '', client.slackApiUrl);
  if (metrics && direct instanceof ObservedWebClient) metrics.watchSlack(direct);
  // The hooks need the notifier, built below from the delivery: they are bound before any job runs.
  const hooks: DeliveryHooks = {};
  const delivery = new SlackDelivery({
    redis: core.redis,
    prefix: core.prefix,
    queue: core.queues.deliver,
    client: direct,
    join: async (channel) => {
      await client.conversations.join({ channel });
    },
    log: log.child({ component: 'delivery' }),
    hooks,
    ...(settings.pace ? { pace: settings.pace } : {}),
    ...(metrics ? { observer: metrics.deliveryObserver } : {}),
    ...(settings.lockTtlMs ? { lockTtlMs: settings.lockTtlMs } : {}),
  });
  // The notifier (built next, from oncall) knows where a release's card is, queued or posted.
  const releaseThread = (release: Release) => notifier.threadPlace(release);
  const oncall = createOnCallServices({ core, client, delivery, releaseThread, channels, runbook, log });
  const notifier = new SlackNotifier({
    delivery,
    channels,
    engine: core.engine,
    runbook,
    log,
    onHandoff: (release) => oncall.handoff.postReleaseHandoff(release),
    onIncident: (release, effect) => oncall.incidents.requestForRelease(release, effect),
    changelog: (id) => core.insight.store.changelog(id),
  });
  hooks.posted = async (post, where) => {
    if (post.saveAs) await notifier.cardPosted(post, where);
    if (post.audit) await core.audit.append({ actor: 'runway', ...post.audit });
  };
  // Set aside for good (archived, not found, not allowed): logged by the layer, audited as before.
  hooks.setAside = async (post, reason) => {
    const releaseId = post.audit?.releaseId ?? post.foldKey;
    await core.audit.append({
      actor: 'runway',
      action: 'notification.failed',
      ...(releaseId ? { releaseId } : {}),
      ...(post.audit?.incidentId ? { incidentId: post.audit.incidentId } : {}),
      details: { kind: post.saveAs ? 'card' : 'post', channel: post.channel, reason },
    });
  };
  // A card edit given up for good is a notification lost too: audited like a post set aside.
  hooks.cardRefused = async (card, reason) => {
    const [kind, id] = [card.slice(0, card.indexOf('-')), card.slice(card.indexOf('-') + 1)];
    await core.audit.append({
      actor: 'runway',
      action: 'notification.failed',
      ...(kind === 'release' ? { releaseId: id } : kind === 'incident' ? { incidentId: id } : {}),
      details: { kind: 'card-edit', card, reason },
    });
  };
  metrics?.watchDelivery(delivery);
  return {
    client,
    channels,
    notifier,
    oncall,
    delivery,
    insightThread: slackInsightThread({ delivery, place: (release) => notifier.threadPlace(release) }),
  };
}
