import { afterEach, describe, expect, it } from 'vitest';
import { GithubDeployments, deploymentOutcome } from '../../../src/insight/github-deployments.ts';
import { githubClient } from '../../../src/insight/octokit.ts';
import { githubDeploymentsSchema } from '../../../src/insight/config.ts';
import { storeKeys } from '../../../src/store/keys.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-github.ts';
import { uniquePrefix, useRedis } from '../../helpers/redis.ts';

const redis = useRedis();
const TOKEN = 'ghp_deploy_token';
let gh: FakeGithub | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

async function setup() {
  gh = await startFakeGithub({ token: TOKEN });
  for (const [i, tag] of ['v1.0.0', 'v1.1.0', 'v1.2.0'].entries()) {
    const sha = String(i + 1).repeat(40);
    gh.repo.commits.push({
      sha,
      message: tag,
      author: { name: 'A', email: 'a@x', date: '2026-01-01T00:00:00Z' },
    });
    gh.repo.refs[tag] = sha;
  }
  const config = githubDeploymentsSchema.parse({ repo: 'acme/shop', token: TOKEN, api_url: gh.url });
  const deployments = new GithubDeployments({
    redis: redis.connect(),
    keys: storeKeys(uniquePrefix()),
    client: githubClient,
  });
  return { gh, config, deployments };
}

const release = (id: string, version: string) => ({
  id,
  service: 'checkout',
  environment: 'production',
  version,
  url: `https://slack.com/archives/C1/p${id}`,
});

describe('GitHub deployments', () => {
  it('creates a deployment for the version, in_progress then success, and marks the replaced one inactive', async () => {
    const { gh, config, deployments } = await setup();
    await deployments.started(config, release('r1', 'v1.1.0'));
    await deployments.ended(config, release('r1', 'v1.1.0'), 'success', 'Live in production');
    await deployments.started(config, release('r2', 'v1.2.0'));
    await deployments.ended(config, release('r2', 'v1.2.0'), 'success', 'Live in production');

    const [first, second] = gh.repo.deployments;
    expect(first).toMatchObject({ ref: 'v1.1.0', environment: 'production', production_environment: true });
    expect(first?.payload).toEqual({ runway_release: 'r1' });
    expect(first?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success', 'inactive']);
    expect(second?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(second?.statuses[0]?.log_url).toBe('https://slack.com/archives/C1/pr2');
  });

  it('reports failure for a rolled-back release and leaves the live one active', async () => {
    const { gh, config, deployments } = await setup();
    await deployments.started(config, release('r1', 'v1.1.0'));
    await deployments.ended(config, release('r1', 'v1.1.0'), 'success', 'live');
    await deployments.started(config, release('r2', 'v1.2.0'));
    await deployments.ended(
      config,
      release('r2', 'v1.2.0'),
      deploymentOutcome('rolled_back')!,
      'rolled back',
    );
    expect(gh.repo.deployments[0]?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(gh.repo.deployments[1]?.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
  });

  it('creates one deployment however often the start is repeated, even after losing the id it kept', async () => {
    const { gh, config, deployments } = await setup();
    await deployments.started(config, release('r1', '1.1.0'));
    await deployments.started(config, release('r1', '1.1.0'));
    // A crash after GitHub created it but before Redis kept its id: found again by its payload.
    const fresh = new GithubDeployments({
      redis: redis.connect(),
      keys: storeKeys(uniquePrefix()),
      client: githubClient,
    });
    await fresh.started(config, release('r1', '1.1.0'));
    expect(gh.repo.deployments).toHaveLength(1);
    expect(gh.repo.deployments[0]?.ref).toBe('v1.1.0');
  });

  it('uses the configured GitHub environment name, and reports nothing for a release never deployed', async () => {
    const { gh, config, deployments } = await setup();
    const named = { ...config, environment: 'prod-eu' };
    await deployments.ended(named, release('r0', 'v1.0.0'), 'error', 'aborted');
    expect(gh.repo.deployments).toHaveLength(0);
    await deployments.started(named, release('r1', 'v1.0.0'));
    expect(gh.repo.deployments[0]?.environment).toBe('prod-eu');
  });

  it('maps final states to GitHub states', () => {
    expect(['completed', 'rolled_back', 'failed', 'aborted', 'rejected'].map(deploymentOutcome)).toEqual([
      'success',
      'failure',
      'error',
      'error',
      null,
    ]);
  });
});
