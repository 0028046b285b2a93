// Carries out the insight jobs of a release: its changelog (once, at start), its GitHub deployment's
// statuses, and its canary charts. Every method is safe to run twice: thread notes and charts are
// claimed first (a chart is drawn once) and the claim given back when queueing fails, and the delivery
// layer drops a post whose key it has queued before.
import type { Octokit } from '@octokit/rest';
import type { Logger } from '../log.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import type { Release } from '../release/types.ts';
import { FINAL_STATES } from '../release/types.ts';
import type { AuditLog } from '../store/audit-log.ts';
import { chartInput } from './chart-input.ts';
import { describeError, findChangelog, type ChangelogSource } from './changelog.ts';
import { githubFailure } from './github-errors.ts';
import { gitChangelogSource } from './changelog-git.ts';
import { githubChangelogSource } from './changelog-github.ts';
import type { ChangelogConfig, GithubDeploymentsConfig } from './config.ts';
import type { GithubDeployments } from './github-deployments.ts';
import { endReport, type EndReport } from './deployment-report.ts';
import type { InsightStore } from './insight-store.ts';
import { githubClient } from './octokit.ts';
import type { SampleStore } from './samples.ts';
import { chartNote, chartSubtitle, type ChartNote, type InsightNote } from './notes.ts';

/**
 * What the insight jobs say in a release thread (the Slack side, built by slack/services.ts): queued
 * through the Slack delivery layer, behind the card in its channel's lane, once per key.
 */
export interface InsightThread {
  /** A note in the release thread. */
  note(release: Release, note: Exclude<InsightNote, ChartNote>): Promise<void>;
  /** The chart PNG, shared in the release thread with its note as the comment; once per `key`. */
  chart(release: Release, png: Buffer, note: ChartNote, key: string): Promise<void>;
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

export class InsightService {
  private readonly thread: InsightThread | undefined;

  constructor(private readonly deps: InsightDeps) {
    this.thread = deps.thread;
  }

  /**
   * Finds and keeps the changelog; says once in the thread when there is none. A transient failure
   * throws (the job retries) until `lastAttempt`, when it is kept as the reason there is none.
   */
  async changelog(releaseId: string, lastAttempt = false): Promise<string> {
    const release = await this.deps.releases.get(releaseId);
    if (!release || release.kind !== 'release') return 'no release';
    const config = this.settings(release).changelog;
    if (!config) return 'not configured';
    let result = await this.deps.store.changelogResult(releaseId);
    if (!result) {
      result = await this.lookUp(config, release, lastAttempt);
      if (await this.deps.store.saveChangelog(releaseId, result)) await this.auditChangelog(release, result);
      result = (await this.deps.store.changelogResult(releaseId)) ?? result;
      await this.deps.refreshCard(releaseId);
    }
    if (result.ok) return `${result.changelog.total} commits`;
    if (!this.thread) return 'no changelog (no Slack to say so)';
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
    return this.deps.store.exclusive(releaseId, 'github', async () => {
      // Run after the end was reported (jobs run in any order): the end created it and said how it went.
      if (await this.deps.store.claimed(releaseId, 'github-ended')) return 'ended already';
      const id = await this.deps.deployments.started(config, this.deployed(release));
      return `deployment ${id}`;
    });
  }

  /** The release ended: GitHub is told how (the completion chart is a job of its own). */
  async ended(releaseId: string): Promise<string> {
    const release = await this.deps.releases.get(releaseId);
    if (!release || !FINAL_STATES.includes(release.state) || release.dryRun) return 'not ended';
    const config = this.settings(release).githubDeployments;
    const report = endReport(release);
    // Claimed so a repeated job does not report to GitHub again.
    if (config && report)
      await this.deps.store.exclusive(releaseId, 'github', async () => {
        if (!(await this.deps.store.claim(releaseId, 'github-ended'))) return;
        try {
          await this.reportEnd(config, release, report);
        } catch (error) {
          await this.deps.store.unclaim(releaseId, 'github-ended');
          throw error;
        }
      });
    return report?.own?.outcome ?? report?.restore?.outcome ?? release.state;
  }

  /** The release's own deployment, then the version a rollback put back (each safe to repeat). */
  private async reportEnd(
    config: GithubDeploymentsConfig,
    release: Release,
    report: EndReport,
  ): Promise<void> {
    const deployed = this.deployed(release);
    const { own, restore } = report;
    // A deploy stage that started has a deployment, even when its deploy job has not run yet.
    const started = release.stages.some((s, i) => s.startedAt && release.plan.stages[i]?.kind === 'deploy');
    const had = own
      ? await this.deps.deployments.ended(config, deployed, own.outcome, own.description, started)
      : false;
    if (!restore || (restore.onlyIfDeployed && !had)) return;
    const id = await this.deps.deployments.restored(
      config,
      deployed,
      restore.version,
      restore.outcome,
      restore,
    );
    if (id === null)
      this.deps.log.warn(
        { releaseId: release.id, version: restore.version },
        'GitHub has no ref for the restored version: no deployment for it',
      );
  }

  /**
   * Draws the release's chart from its samples and uploads it in the thread: once at completion, and
   * once per breach (`breach` names it; a job queued without one is the release's only breach chart).
   */
  async chart(releaseId: string, why: 'breach' | 'completed', breach?: string): Promise<string> {
    const thread = this.thread;
    if (!thread) return 'no Slack';
    const release = await this.deps.releases.get(releaseId);
    if (!release) return 'no release';
    const samples = await this.deps.samples.list(releaseId);
    if (samples.length === 0) return 'no samples';
    const what = why === 'breach' && breach ? `chart-breach-${breach}` : `chart-${why}`;
    if (!(await this.deps.store.claim(releaseId, what))) return 'posted already';
    try {
      // Loaded on first use: vega and resvg are heavy, and most processes never draw a chart.
      const { renderChartPng } = await import('./chart.ts');
      const note = chartNote(release, why, samples.length);
      const png = await renderChartPng(chartInput(release, samples, chartSubtitle(note)));
      // Audited by the delivery layer once Slack has it (chart.posted).
      await thread.chart(release, png, note, what);
      return `chart ${png.length} bytes`;
    } catch (error) {
      await this.deps.store.unclaim(releaseId, what);
      throw error;
    }
  }

  private async lookUp(config: ChangelogConfig, release: Release, lastAttempt: boolean) {
    try {
      return await findChangelog(this.source(config), release.previousVersion, release.version);
    } catch (error) {
      // GitHub refusing (a bad token, no access) answers the same next time: kept, like a missing tag.
      if (lastAttempt || githubFailure(error, Date.now()).kind === 'refused')
        return { ok: false as const, reason: describeError(error) };
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
