// Insight jobs of one release run in any order and may overlap (two workers, retries): a deploy job
// that runs after the release ended must not leave its GitHub deployment in_progress, and the two
// never report at the same time. The insight service on real Redis, the GitHub fake through @octokit/rest.
import { afterEach, describe, expect, it } from 'vitest';
import { InsightService } from '../../../src/insight/service.ts';
import { InsightStore } from '../../../src/insight/insight-store.ts';
import { SampleStore } from '../../../src/insight/samples.ts';
import { GithubDeployments } from '../../../src/insight/github-deployments.ts';
import { githubClient } from '../../../src/insight/octokit.ts';
import { githubDeploymentsSchema } from '../../../src/insight/config.ts';
import { storeKeys } from '../../../src/store/keys.ts';
import { AuditLog } from '../../../src/store/audit-log.ts';
import type { RunbookContext } from '../../../src/engine/runbook-context.ts';
import type { Release } from '../../../src/release/types.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-github.ts';
import { uniquePrefix, useRedis } from '../../helpers/redis.ts';
import { memoryLogger } from '../../helpers/runway.ts';

const redis = useRedis();
const TOKEN = 'ghp_order';
let gh: FakeGithub | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

async function setup(release: Release) {
  gh = await startFakeGithub({ token: TOKEN });
  gh.repo.commits.push({
    sha: '1'.repeat(40),
    message: 'v',
    author: { name: 'A', email: 'a@x', date: '2026-01-01T00:00:00Z' },
  });
  gh.repo.refs['v1.1.0'] = '1'.repeat(40);
  const config = githubDeploymentsSchema.parse({ repo: 'acme/shop', token: TOKEN, api_url: gh.url });
  const conn = redis.connect();
  const prefix = uniquePrefix();
  const keys = storeKeys(prefix);
  const store = new InsightStore(conn, keys);
  const service = new InsightService({
    store,
    samples: new SampleStore(conn, keys),
    releases: { get: async () => release },
    audit: new AuditLog(conn, prefix),
    deployments: new GithubDeployments({ redis: conn, keys, client: githubClient }),
    runbook: () =>
      ({ resolve: () => ({ changelog: null, githubDeployments: config }) }) as unknown as RunbookContext,
    refreshCard: async () => {},
    log: memoryLogger().log,
  });
  return { gh, store, service };
}

const completed = {
  id: 'r1',
  kind: 'release',
  dryRun: false,
  state: 'completed',
  service: 'checkout',
  environment: 'production',
  version: 'v1.1.0',
  previousVersion: 'v1.0.0',
  outcome: 'Live in production',
  plan: { stages: [{ kind: 'deploy', action: 'deploy', gates: [] }] },
  stages: [{ status: 'done', startedAt: '2026-01-01T00:00:00Z', attempt: 1, holdSeq: 0 }],
} as unknown as Release;

describe('GitHub reports of one release, in any order', () => {
  it('reports a release that ended before its deploy job ran, and the late deploy job posts nothing', async () => {
    const { gh, service } = await setup(completed);
    expect(await service.ended('r1')).toBe('success');
    expect(await service.deployStarted('r1')).toBe('ended already');
    expect(await service.ended('r1')).toBe('success'); // a repeat reports nothing new
    expect(gh.repo.deployments).toHaveLength(1);
    expect(gh.repo.deployments[0]?.statuses.map((s) => s.state)).toEqual(['success']);
  });

  it('lets one job report at a time: the other retries', async () => {
    const { gh, store, service } = await setup(completed);
    let letGo = () => {};
    const held = store.exclusive('r1', 'github', () => new Promise<void>((resolve) => (letGo = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(service.deployStarted('r1')).rejects.toThrow('another job is reporting r1');
    letGo();
    await held;
    expect(await service.ended('r1')).toBe('success');
    expect(gh.repo.deployments[0]?.statuses.map((s) => s.state)).toEqual(['success']);
  });
});
