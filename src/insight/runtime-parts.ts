// The insight parts of a runtime, built on its Redis and queues: the stores, the triggers the
// dispatcher and gate timer call, and the service the runway-insight worker runs.
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
import { InsightService } from './service.ts';

export interface Insight {
  store: InsightStore;
  samples: SampleStore;
  triggers: InsightTriggers;
  service: InsightService;
  figures: DeliveryFiguresReader;
}

export function createInsight(deps: {
  redis: Redis;
  keys: StoreKeys;
  queues: Queues;
  releases: { get(id: string): Promise<Release | null> };
  audit: AuditLog;
  runbook: () => RunbookContext;
  log: Logger;
  refreshCard(releaseId: string): Promise<void>;
}): Insight {
  const log = deps.log.child({ component: 'insight' });
  const store = new InsightStore(deps.redis, deps.keys);
  const samples = new SampleStore(deps.redis, deps.keys);
  const triggers = new InsightTriggers({ queue: deps.queues.insight, samples, log });
  const service = new InsightService({
    store,
    samples,
    releases: deps.releases,
    audit: deps.audit,
    deployments: new GithubDeployments({ redis: deps.redis, keys: deps.keys, client: githubClient }),
    runbook: deps.runbook,
    refreshCard: deps.refreshCard,
    log,
  });
  return { store, samples, triggers, service, figures: new DeliveryFiguresReader(deps.audit) };
}
