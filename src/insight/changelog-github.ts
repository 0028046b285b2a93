// The changelog from GitHub's compare API (GET /repos/{owner}/{repo}/compare/{base}...{head}), through
// @octokit/rest. A ref GitHub does not know answers 404: that version has no changelog.
import type { Octokit } from '@octokit/rest';
import {
  CHANGELOG_KEEP,
  refCandidates,
  summarize,
  type ChangelogCommit,
  type ChangelogSource,
} from './changelog.ts';
import { splitRepo } from './octokit.ts';

/** GitHub lists at most this many commits per page of a comparison, oldest first. */
const PER_PAGE = 100;

type Where = { owner: string; repo: string };

export function githubChangelogSource(octokit: Octokit, repo: string): ChangelogSource {
  const where = splitRepo(repo);
  return {
    async between(from, to) {
      for (const base of refCandidates(from)) {
        for (const head of refCandidates(to)) {
          const found = await compare(octokit, where, base, head);
          if (found) return { ok: true, changelog: summarize(from, to, found.commits, found.total) };
        }
      }
      return { ok: false, reason: `GitHub does not know ${from} or ${to} in ${repo}` };
    },
  };
}

/**
 * The newest commits of base...head (newest first, ending with the oldest) and their count; null when
 * either ref is unknown (404). The first page has the oldest commit (lead time) and total_commits;
 * the newest are on the last page (and the one before when the last holds fewer than are shown), so
 * a range of any length takes at most three requests.
 */
async function compare(
  octokit: Octokit,
  where: Where,
  base: string,
  head: string,
): Promise<{ commits: ChangelogCommit[]; total: number } | null> {
  const first = await page(octokit, where, `${base}...${head}`, 1);
  if (!first) return null;
  const total = Math.max(first.total, first.commits.length);
  const last = Math.ceil(total / PER_PAGE);
  if (last <= 1) return { commits: [...first.commits].reverse(), total };
  const newest: ChangelogCommit[] = [];
  let n = last;
  for (; n > 1 && newest.length < CHANGELOG_KEEP; n--) {
    const more = await page(octokit, where, `${base}...${head}`, n);
    if (!more) return null;
    newest.unshift(...more.commits);
  }
  // Every later page was read: the first joins whole; else only its oldest commit, across the gap.
  const older = n === 1 ? first.commits : first.commits.slice(0, 1);
  return { commits: [...older, ...newest].reverse(), total };
}

async function page(
  octokit: Octokit,
  where: Where,
  basehead: string,
  n: number,
): Promise<{ commits: ChangelogCommit[]; total: number } | null> {
  let data;
  try {
    ({ data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...where,
      basehead,
      per_page: PER_PAGE,
      page: n,
    }));
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
  const commits = data.commits.map((c) => ({
    sha: c.sha,
    subject: c.commit.message,
    author: c.author?.login ?? c.commit.author?.name ?? 'unknown',
    at: c.commit.author?.date ?? c.commit.committer?.date ?? new Date(0).toISOString(),
  }));
  return { commits, total: data.total_commits };
}
