// The changelog from GitHub's compare API (GET /repos/{owner}/{repo}/compare/{base}...{head}), through
// @octokit/rest. A ref GitHub does not know answers 404: that version has no changelog.
import type { Octokit } from '@octokit/rest';
import { refCandidates, summarize, type ChangelogCommit, type ChangelogSource } from './changelog.ts';
import { splitRepo } from './octokit.ts';

/** GitHub lists at most this many commits per page of a comparison. */
const PER_PAGE = 100;
const MAX_PAGES = 10;

export function githubChangelogSource(octokit: Octokit, repo: string): ChangelogSource {
  const where = splitRepo(repo);
  return {
    async between(from, to) {
      for (const base of refCandidates(from)) {
        for (const head of refCandidates(to)) {
          const commits = await compare(octokit, where, base, head);
          if (commits) return { ok: true, changelog: summarize(from, to, commits) };
        }
      }
      return { ok: false, reason: `GitHub does not know ${from} or ${to} in ${repo}` };
    },
  };
}

/** The commits of base...head, newest first; null when either ref is unknown (404). */
async function compare(
  octokit: Octokit,
  where: { owner: string; repo: string },
  base: string,
  head: string,
): Promise<ChangelogCommit[] | null> {
  const commits: ChangelogCommit[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    let data;
    try {
      ({ data } = await octokit.rest.repos.compareCommitsWithBasehead({
        ...where,
        basehead: `${base}...${head}`,
        per_page: PER_PAGE,
        page,
      }));
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
    for (const c of data.commits) {
      commits.push({
        sha: c.sha,
        subject: c.commit.message,
        author: c.author?.login ?? c.commit.author?.name ?? 'unknown',
        at: c.commit.author?.date ?? c.commit.committer?.date ?? new Date(0).toISOString(),
      });
    }
    if (data.commits.length < PER_PAGE || commits.length >= data.total_commits) break;
  }
  // GitHub lists a comparison oldest first.
  return commits.reverse();
}
