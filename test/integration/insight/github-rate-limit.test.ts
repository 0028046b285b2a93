// A GitHub rate limit is waited out, not taken as a refusal: GitHub answers a status post with 403
// and x-ratelimit-remaining: 0 (its primary rate limit) once, and the release's deployment still
// reaches success and the one it replaced inactive. Runway's workers and Redis, the GitHub fake.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor, waitForState } from '../../helpers/runway.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-github.ts';

const redis = useRedis();
let github: FakeGithub;
beforeAll(async () => {
  github = await startFakeGithub({ token: 'ghp_limits' });
  for (const [i, tag] of ['v1.0.0', 'v1.1.0', 'v1.2.0'].entries()) {
    const sha = String(i + 1).repeat(40);
    github.repo.commits.push({
      sha,
      message: tag,
      author: { name: 'A', email: 'a@x', date: '2026-01-01T00:00:00Z' },
    });
    github.repo.refs[tag] = sha;
  }
});
const running: SlackRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});
afterAll(() => github.close());

const yaml = () => `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
defaults:
  github_deployments: { repo: acme/shop, token: ghp_limits, api_url: "${github.url}" }
services:
  checkout:
    previous_version: v1.0.0
    environments:
      production:
        approvals: { required: 1 }
        actions:
          deploy: { command: ["node", "-e", "0"] }
          traffic: { command: ["node", "-e", "0"] }
          rollback: { command: ["node", "-e", "0"] }
        stages:
          - deploy
          - { traffic: 100 }
        rollback_incident: none
`;

async function release(r: SlackRunway, version: string): Promise<string> {
  const started = await r.runtime.engine.start({
    service: 'checkout',
    version,
    requester: 'UALICE',
    originChannel: 'CRELEASES',
  });
  if (!started.ok) throw new Error(started.reason);
  expect(await r.runtime.engine.approve(started.release.id, { user: 'UBOB' })).toMatchObject({ ok: true });
  await waitForState(r.runtime, started.release.id, ['completed']);
  return started.release.id;
}

const states = (ref: string) =>
  github.repo.deployments.find((d) => d.ref === ref)?.statuses.map((s) => s.state) ?? [];

describe('GitHub rate limits in the insight jobs', () => {
  it('waits until the rate limit resets and then reports success, and the replaced deployment inactive', async () => {
    const r = await startSlackRunway(redis.url, yaml());
    running.push(r);
    await release(r, 'v1.1.0');
    await waitFor('v1.1.0 live on GitHub', async () => states('v1.1.0').includes('success'));

    github.repo.faults.push({
      method: 'POST',
      path: /\/deployments\/\d+\/statuses$/,
      body: /"state":"success"/,
      status: 403,
      message: 'API rate limit exceeded for installation ID 1.',
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1),
      },
      times: 1,
    });
    await release(r, 'v1.2.0');
    await waitFor('v1.2.0 live on GitHub', async () => states('v1.2.0').includes('success'));
    expect(github.repo.faults[0]?.times).toBe(0); // GitHub did answer with the rate limit
    expect(states('v1.2.0')).toEqual(['in_progress', 'success']);
    await waitFor('v1.1.0 inactive', async () => states('v1.1.0').at(-1) === 'inactive');
    expect(states('v1.1.0')).toEqual(['in_progress', 'success', 'inactive']);
  });
});
