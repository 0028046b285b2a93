// GitHub deployments for releases (SPEC section 12): one deployment per release for its version,
// `in_progress` when it deploys, `success` when it is live (and `inactive` for the one it replaced),
// `failure` when it was rolled back and `error` when Runway could not finish it. Every call is safe to
// repeat: the deployment id is kept in Redis, and a deployment created just before a crash is found
// again by the release id in its payload instead of being created twice.
import type { Octokit } from '@octokit/rest';
import type { Redis } from 'ioredis';
import type { StoreKeys } from '../store/keys.ts';
import type { GithubDeploymentsConfig } from './config.ts';
import { refCandidates } from './changelog.ts';
import { splitRepo } from './octokit.ts';

export interface DeployedRelease {
  id: string;
  service: string;
  environment: string;
  version: string;
  /** A link to the release (its Slack thread), shown on GitHub's Environments page. */
  url?: string;
}

export type DeploymentOutcome = 'success' | 'failure' | 'error';

export interface GithubDeploymentsDeps {
  redis: Redis;
  keys: StoreKeys;
  client: (config: GithubDeploymentsConfig) => Octokit;
}

/** GitHub keeps a status description to 140 characters. */
const DESCRIPTION_MAX = 140;

export class GithubDeployments {
  constructor(private readonly deps: GithubDeploymentsDeps) {}

  /** The release starts deploying: its deployment (created once) is `in_progress`. */
  async started(config: GithubDeploymentsConfig, release: DeployedRelease): Promise<number> {
    const octokit = this.deps.client(config);
    const id = await this.deployment(octokit, config, release);
    await this.status(octokit, config, release, id, 'in_progress', `Deploying ${release.version}`);
    return id;
  }

  /** The release ended: `success` (and the replaced deployment `inactive`), `failure` or `error`. */
  async ended(
    config: GithubDeploymentsConfig,
    release: DeployedRelease,
    outcome: DeploymentOutcome,
    description: string,
  ): Promise<void> {
    const octokit = this.deps.client(config);
    const { redis, keys } = this.deps;
    // A release that never reached its deploy stage has no deployment to report on.
    const known = await redis.get(keys.githubDeployment(release.id));
    if (!known) return;
    const id = Number(known);
    await this.status(octokit, config, release, id, outcome, description);
    if (outcome !== 'success') return;
    const liveKey = keys.githubLive(config.repo, environmentOf(config, release));
    const previous = await redis.get(liveKey);
    if (previous && previous !== known) {
      await this.status(
        octokit,
        config,
        release,
        Number(previous),
        'inactive',
        `Replaced by ${release.version}`,
      );
    }
    await redis.set(liveKey, known);
  }

  private async deployment(
    octokit: Octokit,
    config: GithubDeploymentsConfig,
    release: DeployedRelease,
  ): Promise<number> {
    const { redis, keys } = this.deps;
    const known = await redis.get(keys.githubDeployment(release.id));
    if (known) return Number(known);
    const where = splitRepo(config.repo);
    const environment = environmentOf(config, release);
    let lastError: unknown;
    for (const ref of refCandidates(release.version)) {
      const found = await this.findExisting(octokit, where, ref, environment, release.id);
      if (found !== null) return this.remember(release.id, found);
      try {
        const { data } = await octokit.rest.repos.createDeployment({
          ...where,
          ref,
          environment,
          auto_merge: false,
          required_contexts: [],
          description: clip(`${release.service} ${release.version} by Runway`),
          payload: { runway_release: release.id },
          production_environment: environment === 'production',
        });
        if (!('id' in data)) throw new Error(`GitHub did not create the deployment: ${data.message ?? ''}`);
        return this.remember(release.id, data.id);
      } catch (error) {
        // 422: GitHub has no such ref; the next way of naming the version may exist.
        if ((error as { status?: number }).status !== 422) throw error;
        lastError = error;
      }
    }
    throw lastError instanceof Error
      ? lastError
      : new Error(`no ref for ${release.version} in ${config.repo}`);
  }

  /** A deployment this release created already (a crash before its id was kept). */
  private async findExisting(
    octokit: Octokit,
    where: { owner: string; repo: string },
    ref: string,
    environment: string,
    releaseId: string,
  ): Promise<number | null> {
    const { data } = await octokit.rest.repos.listDeployments({ ...where, ref, environment, per_page: 100 });
    const mine = data.find((d) => {
      const payload = d.payload as unknown;
      return (
        typeof payload === 'object' &&
        payload !== null &&
        (payload as Record<string, unknown>).runway_release === releaseId
      );
    });
    return mine ? mine.id : null;
  }

  private async remember(releaseId: string, id: number): Promise<number> {
    await this.deps.redis.set(this.deps.keys.githubDeployment(releaseId), String(id), 'EX', 400 * 24 * 3600);
    return id;
  }

  private async status(
    octokit: Octokit,
    config: GithubDeploymentsConfig,
    release: DeployedRelease,
    id: number,
    state: DeploymentOutcome | 'in_progress' | 'inactive',
    description: string,
  ): Promise<void> {
    await octokit.rest.repos.createDeploymentStatus({
      ...splitRepo(config.repo),
      deployment_id: id,
      state,
      description: clip(description),
      environment: environmentOf(config, release),
      auto_inactive: false,
      ...(release.url ? { log_url: release.url } : {}),
    });
  }
}

export function environmentOf(config: GithubDeploymentsConfig, release: { environment: string }): string {
  return config.environment ?? release.environment;
}

/** What GitHub is told about a release that ended, from its final state. */
export function deploymentOutcome(state: string): DeploymentOutcome | null {
  if (state === 'completed') return 'success';
  if (state === 'rolled_back') return 'failure';
  if (state === 'failed' || state === 'aborted') return 'error';
  return null;
}

function clip(text: string): string {
  return text.length > DESCRIPTION_MAX ? `${text.slice(0, DESCRIPTION_MAX - 1)}…` : text;
}
