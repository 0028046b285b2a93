// GitHub deployments for releases (SPEC section 12): one deployment per release for its version,
// `in_progress` when it deploys, `success` when it is live (and `inactive` for the one it replaced),
// `failure` when it was rolled back and `error` when Runway could not finish it. A rollback that put
// an earlier version back gets a deployment of that version, `success`, so the Environments page shows
// what runs. Every call is safe to repeat: the deployment id is kept in Redis, and a deployment created
// just before a crash is found again by the release id in its payload instead of being created twice.
import type { Octokit } from '@octokit/rest';
import type { Redis } from 'ioredis';
import type { StoreKeys } from '../store/keys.ts';
import type { GithubDeploymentsConfig } from './config.ts';
import { refCandidates } from './changelog.ts';
import { splitRepo } from './octokit.ts';
import type { DeploymentOutcome } from './deployment-report.ts';

export interface DeployedRelease {
  id: string;
  service: string;
  environment: string;
  version: string;
  /** A link to the release (its Slack thread), shown on GitHub's Environments page. */
  url?: string;
}

export { deploymentOutcome, type DeploymentOutcome } from './deployment-report.ts';

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

  /**
   * The release ended: `success` (and the replaced deployment `inactive`), `failure` or `error`.
   * `deployed`: it reached its deploy stage, so it has a deployment (created now if its deploy job
   * has not run yet). False when it has none: nothing changed on GitHub.
   */
  async ended(
    config: GithubDeploymentsConfig,
    release: DeployedRelease,
    outcome: DeploymentOutcome,
    description: string,
    deployed = false,
  ): Promise<boolean> {
    const octokit = this.deps.client(config);
    const known = await this.deps.redis.get(this.deps.keys.githubDeployment(release.id));
    if (!known && !deployed) return false;
    const id = known ? Number(known) : await this.deployment(octokit, config, release);
    await this.status(octokit, config, release, id, outcome, description);
    if (outcome === 'success')
      await this.goLive(octokit, config, release, id, `Replaced by ${release.version}`);
    return true;
  }

  /**
   * A rollback of this release put `version` back: a deployment of that version (created once), then
   * `success` with the live one it replaced `inactive` (`replaced` says why), or `error` when the
   * rollback failed. Null when GitHub has no ref for that version (nothing to show).
   */
  async restored(
    config: GithubDeploymentsConfig,
    release: DeployedRelease,
    version: string,
    outcome: 'success' | 'error',
    description: { restored: string; replaced: string },
  ): Promise<number | null> {
    const octokit = this.deps.client(config);
    const restore = { ...release, version };
    let id: number;
    try {
      id = await this.deployment(octokit, config, restore, true);
    } catch (error) {
      if ((error as { status?: number }).status === 422) return null;
      throw error;
    }
    await this.status(octokit, config, restore, id, outcome, description.restored);
    if (outcome === 'success') await this.goLive(octokit, config, restore, id, description.replaced);
    return id;
  }

  /** `id` is what runs now: the deployment live before it (if another) becomes `inactive`. */
  private async goLive(
    octokit: Octokit,
    config: GithubDeploymentsConfig,
    release: DeployedRelease,
    id: number,
    replaced: string,
  ): Promise<void> {
    const { redis, keys } = this.deps;
    const liveKey = keys.githubLive(config.repo, environmentOf(config, release));
    const previous = await redis.get(liveKey);
    if (previous && previous !== String(id)) {
      try {
        await this.status(octokit, config, release, Number(previous), 'inactive', replaced);
      } catch (error) {
        // Deleted on GitHub: nothing to mark, but this one is live all the same (else every later
        // release would fail on it too).
        if ((error as { status?: number }).status !== 404) throw error;
      }
    }
    await redis.set(liveKey, String(id));
  }

  /** The release's deployment of its version (`restore`: of the version its rollback put back). */
  private async deployment(
    octokit: Octokit,
    config: GithubDeploymentsConfig,
    release: DeployedRelease,
    restore = false,
  ): Promise<number> {
    const { redis, keys } = this.deps;
    const name = restore ? `${release.id}-restore` : release.id;
    const known = await redis.get(keys.githubDeployment(name));
    if (known) return Number(known);
    const where = splitRepo(config.repo);
    const environment = environmentOf(config, release);
    let lastError: unknown;
    for (const ref of refCandidates(release.version)) {
      const found = await this.findExisting(octokit, where, ref, environment, release.id, restore);
      if (found !== null) return this.remember(name, found);
      try {
        const { data } = await octokit.rest.repos.createDeployment({
          ...where,
          ref,
          environment,
          auto_merge: false,
          required_contexts: [],
          description: clip(`${release.service} ${release.version} by Runway${restore ? ' (rollback)' : ''}`),
          payload: { runway_release: release.id, ...(restore ? { runway_restore: true } : {}) },
          production_environment: environment === 'production',
        });
        if (!('id' in data)) throw new Error(`GitHub did not create the deployment: ${data.message ?? ''}`);
        return this.remember(name, data.id);
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
    restore: boolean,
  ): Promise<number | null> {
    const { data } = await octokit.rest.repos.listDeployments({ ...where, ref, environment, per_page: 100 });
    const mine = data.find((d) => {
      const payload = d.payload as unknown;
      if (typeof payload !== 'object' || payload === null) return false;
      const p = payload as Record<string, unknown>;
      return p.runway_release === releaseId && (p.runway_restore === true) === restore;
    });
    return mine ? mine.id : null;
  }

  private async remember(name: string, id: number): Promise<number> {
    await this.deps.redis.set(this.deps.keys.githubDeployment(name), String(id), 'EX', 400 * 24 * 3600);
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

function clip(text: string): string {
  return text.length > DESCRIPTION_MAX ? `${text.slice(0, DESCRIPTION_MAX - 1)}…` : text;
}
