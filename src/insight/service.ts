// Carries out the insight jobs of a release: its changelog (once, at start), its GitHub deployment's
// statuses, and its canary charts. Every method is safe to run twice; Slack posts are claimed first
// and the claim given back when the post fails, so a retry posts what the first try could not.
import type { Octokit } from '@octokit/rest';
import type { Logger } from '../log.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import type { Release } from '../release/types.ts';
import { FINAL_STATES } from '../release/types.ts';
import type { AuditLog } from '../store/audit-log.ts';
import { chartInput } from './chart-input.ts';
import { findChangelog, type ChangelogSource } from './changelog.ts';
import { gitChangelogSource } from './changelog-git.ts';
import { githubChangelogSource } from './changelog-github.ts';
import type { ChangelogConfig, GithubDeploymentsConfig } from './config.ts';
import { deploymentOutcome, GithubDeployments } from './github-deployments.ts';
import type { InsightStore } from './insight-store.ts';
import { githubClient } from './octokit.ts';
import type { SampleStore } from './samples.ts';

/** What the insight jobs say in a release thread (the Slack side, built by slack/services.ts). */
export interface InsightThread {
  /** A note in the release thread. */
  note(release: Release, note: { kind: 'noChangelog'; reason: string }): Promise<void>;
  /** The chart PNG, uploaded in the release thread. */
  chart(release: Release, png: Buffer, why: 'breach' | 'completed'): Promise<void>;
  /** Words drawn into the chart (why it was drawn). */
  chartReason(release: Release, why: 'breach' | 'completed'): string;
  /** A link to the release thread. */
  threadUrl(release: Release): string | undefined;
}

export interface InsightDeps {
  store: InsightStore;
  samples: SampleStore;
  releases: { get(id: string): Promise<Release | null> };
  audit: AuditLog;
  deployments: GithubDeployments;
  runbook: () => RunbookContext;
  refreshCard(releaseId: string): Promise<void>;
  log: Logger;
  github?: (config: { token: string; api_url: string }) => Octokit;
  /** Absent in a process without Slack: nothing is said or uploaded. */
  thread?: InsightThread;
}

export class CardNotPostedYet extends Error {}

export class InsightService {
  private readonly thread: InsightThread | undefined;

  constructor(private readonly deps: InsightDeps) {
    this.thread = deps.thread;
  }

  /** Finds and keeps the changelog; says once in the thread when there is none. */
  async changelog(releaseId: string): Promise<string> {
    const release = await this.deps.releases.get(releaseId);
    if (!release || release.kind !== 'release') return 'no release';
    const config = this.settings(release).changelog;
    if (!config) return 'not configured';
    let result = await this.deps.store.changelogResult(releaseId);
    if (!result) {
      result = await findChangelog(this.source(config), release.previousVersion, release.version);
      if (await this.deps.store.saveChangelog(releaseId, result)) await this.auditChangelog(release, result);
      result = (await this.deps.store.changelogResult(releaseId)) ?? result;
      await this.deps.refreshCard(releaseId);
    }
    if (result.ok) return `${result.changelog.total} commits`;
    if (!this.thread) return 'no changelog (no Slack to say so)';
    if (!release.card) throw new CardNotPostedYet(`release ${releaseId} has no card yet`);
    if (!(await this.deps.store.claim(releaseId, 'no-changelog'))) return 'no changelog (said)';
    try {
      await this.thread.note(release, { kind: 'noChangelog', reason: result.reason });
    } catch (error) {
      await this.deps.store.unclaim(releaseId, 'no-changelog');
      throw error;
    }
    return 'no changelog';
  }

  /** The release's deploy stage started: its GitHub deployment is in progress. */
  async deployStarted(releaseId: string): Promise<string> {
    const release = await this.deps.releases.get(releaseId);
    if (!release || release.dryRun) return 'no release';
    const config = this.settings(release).githubDeployments;
    if (!config) return 'not configured';
    const id = await this.deps.deployments.started(config, this.deployed(release));
    return `deployment ${id}`;
  }

  /** The release ended: GitHub is told how, and a completed release with gates gets its chart. */
  async ended(releaseId: string): Promise<string> {
    const release = await this.deps.releases.get(releaseId);
    if (!release || !FINAL_STATES.includes(release.state) || release.dryRun) return 'not ended';
    const config = this.settings(release).githubDeployments;
    const outcome = deploymentOutcome(release.state);
    // Claimed so a retry of this job for its chart does not report to GitHub again.
    if (config && outcome && (await this.deps.store.claim(releaseId, 'github-ended'))) {
      try {
        const description = release.outcome ?? release.state;
        await this.deps.deployments.ended(config, this.deployed(release), outcome, description);
      } catch (error) {
        await this.deps.store.unclaim(releaseId, 'github-ended');
        throw error;
      }
    }
    const gated = release.plan.stages.some((s) => s.gates.length > 0);
    if (release.state === 'completed' && gated) await this.chart(releaseId, 'completed');
    return outcome ?? release.state;
  }

  /** Draws the release's chart from its samples and uploads it in the thread, once per reason. */
  async chart(releaseId: string, why: 'breach' | 'completed'): Promise<string> {
    const thread = this.thread;
    if (!thread) return 'no Slack';
    const release = await this.deps.releases.get(releaseId);
    if (!release) return 'no release';
    const samples = await this.deps.samples.list(releaseId);
    if (samples.length === 0) return 'no samples';
    if (!release.card) throw new CardNotPostedYet(`release ${releaseId} has no card yet`);
    const what = `chart-${why}`;
    if (!(await this.deps.store.claim(releaseId, what))) return 'posted already';
    try {
      // Loaded on first use: vega and resvg are heavy, and most processes never draw a chart.
      const { renderChartPng } = await import('./chart.ts');
      const png = await renderChartPng(chartInput(release, samples, thread.chartReason(release, why)));
      await thread.chart(release, png, why);
      await this.deps.audit.append({
        actor: 'runway',
        action: 'chart.posted',
        releaseId,
        service: release.service,
        environment: release.environment,
        details: { why, samples: samples.length, bytes: png.length },
      });
      return `chart ${png.length} bytes`;
    } catch (error) {
      await this.deps.store.unclaim(releaseId, what);
      throw error;
    }
  }

  private settings(release: Release): {
    changelog: ChangelogConfig | null;
    githubDeployments: GithubDeploymentsConfig | null;
  } {
    return this.deps.runbook().resolve(release.service, release.environment);
  }

  private source(config: ChangelogConfig): ChangelogSource {
    if ('git' in config) return gitChangelogSource(config.git);
    const client = (this.deps.github ?? githubClient)(config.github);
    return githubChangelogSource(client, config.github.repo);
  }

  private deployed(release: Release) {
    const url = this.thread?.threadUrl(release);
    return {
      id: release.id,
      service: release.service,
      environment: release.environment,
      version: release.version,
      ...(url ? { url } : {}),
    };
  }

  private async auditChangelog(release: Release, result: Awaited<ReturnType<typeof findChangelog>>) {
    await this.deps.audit.append({
      actor: 'runway',
      action: result.ok ? 'changelog.found' : 'changelog.missing',
      releaseId: release.id,
      service: release.service,
      environment: release.environment,
      details: result.ok
        ? {
            from: result.changelog.from,
            to: result.changelog.to,
            total: result.changelog.total,
            ...(result.changelog.oldestAt ? { oldestAt: result.changelog.oldestAt } : {}),
          }
        : { reason: result.reason },
    });
  }
}
