// Puts the Slack pieces on a runtime: the delivery layer (and its own WebClient), the notifier that
// workers deliver through, and the group resolver the engine uses for approver checks. Used by
// `runway start|app|worker` and tests.
import { WebClient } from '@slack/web-api';
import type { Logger } from '../log.ts';
import type { Runtime } from '../runtime.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import { ObservedWebClient } from './client-options.ts';
import { ChannelResolver } from './channels.ts';
import { SlackNotifier } from './notifier.ts';
import { createOnCallServices } from '../incidents/oncall-services.ts';
import { SlackDelivery } from './delivery/service.ts';
import { deliveryClient } from './delivery/client.ts';
import type { RunwayMetrics } from '../observability/metrics.ts';
import type { PaceSettings } from './delivery/pacer.ts';

export interface SlackWiring {
  client: WebClient;
  channels: ChannelResolver;
  notifier: SlackNotifier;
  delivery: SlackDelivery;
}

export function slackClient(botToken: string, apiUrl: string): ObservedWebClient {
  return new ObservedWebClient(botToken, apiUrl);
}

export interface WireOptions {
  /** Channels, groups, incidents' channel management: the retrying client. */
  client: WebClient;
  /** Posts and card edits; built from `client`'s token and URL when absent. */
  deliveryClient?: WebClient;
  runbook: () => RunbookContext;
  log: Logger;
  pace?: Partial<PaceSettings>;
  /** The process's metrics: delivery gauges, 429s, deferred edits, and the delivery client's calls. */
  metrics?: RunwayMetrics;
  lockTtlMs?: number;
}

export function wireSlack(runtime: Runtime, opts: WireOptions): SlackWiring {
  const { client } = opts;
  const channels = new ChannelResolver(client, opts.log);
  const direct = opts.deliveryClient ?? deliveryClient(client.token ?? '', client.slackApiUrl);
  if (opts.metrics && direct instanceof ObservedWebClient) opts.metrics.watchSlack(direct);
  const delivery = new SlackDelivery({
    redis: runtime.redis,
    prefix: runtime.prefix,
    queue: runtime.queues.deliver,
    client: direct,
    join: async (channel) => {
      await client.conversations.join({ channel });
    },
    log: opts.log.child({ component: 'delivery' }),
    ...(opts.pace ? { pace: opts.pace } : {}),
    ...(opts.metrics ? { observer: opts.metrics.deliveryObserver } : {}),
    ...(opts.lockTtlMs ? { lockTtlMs: opts.lockTtlMs } : {}),
  });
  const oncall = createOnCallServices(runtime, {
    client,
    delivery,
    channels,
    runbook: opts.runbook,
    log: opts.log,
  });
  const notifier = new SlackNotifier({
    delivery,
    channels,
    engine: runtime.engine,
    runbook: opts.runbook,
    log: opts.log,
    onHandoff: (release) => oncall.handoff.postReleaseHandoff(release),
    onIncident: (release, effect) => oncall.incidents.requestForRelease(release, effect),
  });
  delivery.hooks = {
    posted: async (post, where) => {
      if (post.saveAs) await notifier.cardPosted(post, where);
      if (post.audit) await runtime.audit.append({ actor: 'runway', ...post.audit });
    },
    // Set aside for good (archived, not found, not allowed): logged by the layer, audited as before.
    setAside: async (post, reason) => {
      await runtime.audit.append({
        actor: 'runway',
        action: 'notification.failed',
        ...((post.audit?.releaseId ?? post.foldKey)
          ? { releaseId: post.audit?.releaseId ?? post.foldKey }
          : {}),
        details: { kind: post.saveAs ? 'card' : 'post', channel: post.channel, reason },
      });
    },
  };
  opts.metrics?.watchDelivery(delivery);
  runtime.delivery.current = delivery;
  runtime.setNotifier(notifier);
  return { client, channels, notifier, delivery };
}
