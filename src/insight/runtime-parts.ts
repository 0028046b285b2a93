// The insight parts of a process. The core (core.ts) builds the Redis-backed ones the dispatcher and
// gate timer need; the composition root builds the service the runway-insight worker runs, with the
// Slack thread when there is a Slack client.
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import type { Queues } from '../queue/queues.ts';
import type { Release } from '../release/types.ts';
import type { AuditLog } from '../store/audit-log.ts';
import type { StoreKeys } from '../store/keys.ts';
import { InsightTriggers } from './enqueue.ts';
import { GithubDeployments } from './github-deployments.ts';
import { InsightStore } from './insight-store.ts';
import { githubClient } from './octokit.ts';
import { SampleStore } from './samples.ts';
import { DeliveryFiguresReader } from './figures.ts';
import { InsightService, type InsightThread } from './service.ts';

/** What the core holds: stores, triggers and figures (no Slack). */
export interface InsightParts {
  store: InsightStore;
  samples: SampleStore;
  triggers: InsightTriggers;
  figures: DeliveryFiguresReader;
  deployments: GithubDeployments;
}

export interface Insight extends InsightParts {
  service: InsightService;
}

export function createInsightParts(deps: {
  redis: Redis;
  keys: StoreKeys;
  queues: Queues;
  audit: AuditLog;
  log: Logger;
}): InsightParts {
  const log = deps.log.child({ component: 'insight' });
  const samples = new SampleStore(deps.redis, deps.keys);
  return {
    store: new InsightStore(deps.redis, deps.keys),
    samples,
    triggers: new InsightTriggers({ queue: deps.queues.insight, samples, log }),
    figures: new DeliveryFiguresReader(deps.audit),
    deployments: new GithubDeployments({ redis: deps.redis, keys: deps.keys, client: githubClient }),
  };
}

export function createInsightService(deps: {
  parts: InsightParts;
  releases: { get(id: string): Promise<Release | null> };
  audit: AuditLog;
  runbook: () => RunbookContext;
  log: Logger;
  refreshCard(releaseId: string): Promise<void>;
  thread?: InsightThread;
}): InsightService {
  const { parts } = deps;
  return new InsightService({
    store: parts.store,
    samples: parts.samples,
    releases: deps.releases,
    audit: deps.audit,
    deployments: parts.deployments,
    runbook: deps.runbook,
    refreshCard: deps.refreshCard,
    log: deps.log.child({ component: 'insight' }),
    ...(deps.thread ? { thread: deps.thread } : {}),
  });
}
