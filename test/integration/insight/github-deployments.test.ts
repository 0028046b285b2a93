import { afterEach, describe, expect, it } from 'vitest';
import { GithubDeployments, deploymentOutcome } from '../../../src/insight/github-deployments.ts';
import { endReport } from '../../../src/insight/deployment-report.ts';
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

  it('marks an active release that was rolled back failure, and deploys the restored version: success, the one it replaced inactive', async () => {
    const { gh, config, deployments } = await setup();
    await deployments.started(config, release('r1', 'v1.0.0'));
    await deployments.ended(config, release('r1', 'v1.0.0'), 'success', 'live');
    await deployments.started(config, release('r2', 'v1.1.0'));
    const report = endReport({
      kind: 'release',
      state: 'rolled_back',
      version: 'v1.1.0',
      previousVersion: 'v1.0.0',
      outcome: 'Rolled back to v1.0.0: error_rate 0.05 > 0.005',
    })!;
    expect(await deployments.ended(config, release('r2', 'v1.1.0'), report.own!.outcome, 'rolled back')).toBe(
      true,
    );
    // Twice, as a retried job would: one deployment of the restored version.
    for (let i = 0; i < 2; i++)
      await deployments.restored(config, release('r2', 'v1.1.0'), 'v1.0.0', 'success', report.restore!);
    const [first, bad, restored] = gh.repo.deployments;
    expect(gh.repo.deployments).toHaveLength(3);
    expect(first?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success', 'inactive']);
    expect(first?.statuses[2]?.description).toBe('Replaced by v1.0.0 (rollback of v1.1.0)');
    expect(bad?.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    expect(restored).toMatchObject({ ref: 'v1.0.0', environment: 'production' });
    expect(restored?.payload).toEqual({ runway_release: 'r2', runway_restore: true });
    expect(restored?.statuses.map((s) => s.state)).toEqual(['success', 'success']);
    expect(restored?.statuses[0]?.description).toBe('Restored by the rollback of v1.1.0');

    // The next release replaces the restored deployment.
    await deployments.started(config, release('r3', 'v1.2.0'));
    await deployments.ended(config, release('r3', 'v1.2.0'), 'success', 'live');
    expect(restored?.statuses.at(-1)?.state).toBe('inactive');
  });

  it('rolls back a finished release (/release rollback): its deployment inactive, the restored version success', async () => {
    const { gh, config, deployments } = await setup();
    await deployments.started(config, release('r1', 'v1.1.0'));
    await deployments.ended(config, release('r1', 'v1.1.0'), 'success', 'live');
    const report = endReport({
      kind: 'rollback',
      state: 'rolled_back',
      version: 'v1.1.0',
      previousVersion: 'v1.0.0',
      rollback: {
        reason: 'checkout is slow',
        by: 'UBOB',
        at: '',
        automatic: false,
        steps: [],
        toVersion: 'v1.0.0',
      },
    })!;
    expect(report.own).toBeUndefined();
    await deployments.restored(config, release('rb1', 'v1.1.0'), 'v1.0.0', 'success', report.restore!);
    const [live, restored] = gh.repo.deployments;
    expect(live?.statuses.map((s) => [s.state, s.description])).toEqual([
      ['in_progress', 'Deploying v1.1.0'],
      ['success', 'live'],
      ['inactive', 'Rolled back to v1.0.0: checkout is slow'],
    ]);
    expect(restored).toMatchObject({
      ref: 'v1.0.0',
      payload: { runway_release: 'rb1', runway_restore: true },
    });
    expect(restored?.statuses.map((s) => [s.state, s.description])).toEqual([
      ['success', 'Rolled back from v1.1.0'],
    ]);
  });

  it('makes a release live when the deployment it replaces was deleted on GitHub, so later releases replace it', async () => {
    const { gh, config, deployments } = await setup();
    await deployments.started(config, release('r1', 'v1.0.0'));
    await deployments.ended(config, release('r1', 'v1.0.0'), 'success', 'live');
    gh.repo.deployments.splice(0, 1); // someone deleted it: its statuses answer 404
    await deployments.started(config, release('r2', 'v1.1.0'));
    expect(await deployments.ended(config, release('r2', 'v1.1.0'), 'success', 'live')).toBe(true);
    await deployments.started(config, release('r3', 'v1.2.0'));
    await deployments.ended(config, release('r3', 'v1.2.0'), 'success', 'live');
    const [second, third] = gh.repo.deployments;
    expect(second?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success', 'inactive']);
    expect(third?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
  });

  it('creates nothing for a restored version GitHub has no ref for', async () => {
    const { gh, config, deployments } = await setup();
    const id = await deployments.restored(config, release('rb1', 'v1.1.0'), 'v0.0.1', 'success', {
      restored: 'x',
      replaced: 'y',
    });
    expect(id).toBeNull();
    expect(gh.repo.deployments).toHaveLength(0);
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
