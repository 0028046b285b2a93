// What the incident code needs, built once by createOnCallServices (from the composition root) and
// shared by the service, the jobs and the messenger.
import type { Queue } from 'bullmq';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import type { AuditLog } from '../store/audit-log.ts';
import type { ReleaseStore } from '../store/release-store.ts';
import type { ChannelResolver } from '../slack/channels.ts';
import type { SlackDelivery } from '../slack/delivery/service.ts';
import type { Post } from '../slack/delivery/types.ts';
import type { Release } from '../release/types.ts';
import type { RetryOptions } from '../actions/http-retry.ts';
import type { IncidentStore } from './incident-store.ts';

export interface IncidentDeps {
  client: WebClient;
  /** Posts and card edits go through the delivery layer, at each channel's pace. */
  delivery: SlackDelivery;
  /**
   * Where a release's thread replies go (the notifier's answer): under its card, or, while the card
   * still waits in its lane, under it by name in that lane, threaded once the card is posted.
   */
  releaseThread(release: Release): Promise<{ channel: string; thread: Post['thread'] }>;
  channels: ChannelResolver;
  incidents: IncidentStore;
  releases: ReleaseStore;
  audit: AuditLog;
  /** The runway-incidents queue. */
  queue: Queue;
  runbook: () => RunbookContext;
  log: Logger;
  now: () => Date;
  /** HTTP retries inside one paging attempt (the job's own attempts retry on top). */
  pageRetry?: RetryOptions;
}
