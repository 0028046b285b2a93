// A transient failure while listing the changelog (a 502 from GitHub's compare) is retried by the
// insight job, not kept as "No changelog": SPEC section 12 has no changelog only when an end cannot
// be found. Runway's Bolt app, workers and Redis, the in-repo Slack workspace, the GitHub fake; then
// the insight service alone for what its last attempt keeps.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { memoryLogger, waitFor } from '../../helpers/runway.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-github.ts';
import { messageText } from '../../helpers/workspace.ts';
import { InsightService } from '../../../src/insight/service.ts';
import { InsightStore } from '../../../src/insight/insight-store.ts';
import { SampleStore } from '../../../src/insight/samples.ts';
import { GithubDeployments } from '../../../src/insight/github-deployments.ts';
import { githubClient } from '../../../src/insight/octokit.ts';
import { changelogSchema } from '../../../src/insight/config.ts';
import { storeKeys } from '../../../src/store/keys.ts';
import { AuditLog } from '../../../src/store/audit-log.ts';
import type { RunbookContext } from '../../../src/engine/runbook-context.ts';
import type { Release } from '../../../src/release/types.ts';

const redis = useRedis();
let github: FakeGithub;
beforeAll(async () => {
  github = await startFakeGithub({ token: 'ghp_changes' });
  const date = (i: number) => new Date(Date.UTC(2026, 1, 1, 9, i)).toISOString();
  for (let i = 0; i <= 3; i++)
    github.repo.commits.push({
      sha: String(i + 1).repeat(40),
      message: `Change ${i}`,
      author: { name: `Dev ${i}`, email: `dev${i}@example.com`, date: date(i) },
    });
  github.repo.refs['v1.0.0'] = '1'.repeat(40);
  github.repo.refs['v1.1.0'] = '4'.repeat(40);
});
const running: SlackRunway[] = [];
afterEach(async () => {
  github.repo.faults.splice(0);
  for (const r of running.splice(0)) await r.close();
});
afterAll(() => github.close());

const yaml = () => `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
defaults:
  changelog: { github: { repo: acme/shop, token: ghp_changes, api_url: "${github.url}" } }
services:
  checkout:
    previous_version: v1.0.0
    environments:
      production:
        approvals: { required: 1 }
        actions:
          deploy: { command: ["node", "-e", "0"] }
          rollback: { command: ["node", "-e", "0"] }
        stages: [deploy]
        rollback_incident: none
`;

describe('a changelog that could not be listed for a moment', () => {
  it('shows the changes on the card once GitHub answers again after a 502', async () => {
    github.repo.faults.push({
      method: 'GET',
      path: /\/compare\//,
      status: 502,
      message: 'Bad Gateway',
      times: 1,
    });
    const r = await startSlackRunway(redis.url, yaml());
    running.push(r);
    const started = await r.runtime.engine.start({
      service: 'checkout',
      version: 'v1.1.0',
      requester: 'UALICE',
      originChannel: 'CRELEASES',
    });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;
    const card = await waitFor('the card with its changelog', async () => {
      const c = await r.card('CRELEASES', id);
      return messageText(c).includes('Changes since v1.0.0') ? c : null;
    });
    expect(messageText(card)).toContain('(3 commits)');
    expect(github.repo.faults[0]?.times).toBe(0); // the 502 was answered
    const thread = r.ws.store
      .replies('CRELEASES', card.ts)
      .slice(1)
      .map((m) => messageText(m));
    expect(thread.some((t) => t.includes('No changelog'))).toBe(false);
  });
});

describe('the changelog job of the insight service', () => {
  const release = {
    id: 'r1',
    kind: 'release',
    service: 'checkout',
    environment: 'production',
    version: 'v1.1.0',
    previousVersion: 'v1.0.0',
  } as unknown as Release;

  function service(apiUrl: string, token = 'ghp_changes') {
    const conn = redis.connect();
    const prefix = uniquePrefix();
    const keys = storeKeys(prefix);
    const config = changelogSchema.parse({ github: { repo: 'acme/shop', token, api_url: apiUrl } });
    const notes: string[] = [];
    const insight = new InsightService({
      store: new InsightStore(conn, keys),
      samples: new SampleStore(conn, keys),
      releases: { get: async () => release },
      audit: new AuditLog(conn, prefix),
      deployments: new GithubDeployments({ redis: conn, keys, client: githubClient }),
      runbook: () =>
        ({ resolve: () => ({ changelog: config, githubDeployments: null }) }) as unknown as RunbookContext,
      refreshCard: async () => {},
      log: memoryLogger().log,
      thread: {
        note: async (_r, note) => void notes.push(note.reason),
        chart: async () => {},
        threadUrl: () => undefined,
      },
    });
    return { insight, notes };
  }

  it('throws on a transient failure, keeping nothing, and lists the changes on the next attempt', async () => {
    github.repo.faults.push({
      method: 'GET',
      path: /\/compare\//,
      status: 503,
      message: 'Unavailable',
      times: 1,
    });
    const { insight, notes } = service(github.url);
    await expect(insight.changelog('r1')).rejects.toMatchObject({ status: 503 });
    expect(await insight.changelog('r1')).toBe('3 commits');
    expect(notes).toEqual([]);
  });

  it('keeps "no changelog" on the last attempt, and at once when GitHub refuses the token', async () => {
    const down = service('http://127.0.0.1:9');
    await expect(down.insight.changelog('r1')).rejects.toThrow();
    expect(await down.insight.changelog('r1', true)).toBe('no changelog');
    expect(down.notes).toHaveLength(1);
    const refused = service(github.url, 'ghp_wrong');
    expect(await refused.insight.changelog('r1')).toBe('no changelog');
    expect(refused.notes).toEqual([expect.stringMatching(/^HTTP 401: Bad credentials/)]);
  });
});
