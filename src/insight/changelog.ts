// The changelog of a release: the commits between the previous version and this one, from a git
// clone or GitHub's compare API. Pure parts here (which refs a version may be, what is kept); the
// sources live in changelog-git.ts and changelog-github.ts.
import type { ChangelogConfig } from './config.ts';

export interface ChangelogCommit {
  sha: string;
  subject: string;
  author: string;
  /** Author date (ISO). */
  at: string;
}

/** What is kept per release: the newest commits for the card and handoff, and the figures for stats. */
export interface Changelog {
  from: string;
  to: string;
  total: number;
  /** Newest first, at most CHANGELOG_KEEP. */
  commits: ChangelogCommit[];
  /** The author date of the oldest new commit (lead time for changes); absent with no commits. */
  oldestAt?: string;
}

export type ChangelogResult = { ok: true; changelog: Changelog } | { ok: false; reason: string };

/** The card and the handoff show this many commits, then "and N more". */
export const CHANGELOG_SHOWN = 10;
export const CHANGELOG_KEEP = CHANGELOG_SHOWN;

export interface ChangelogSource {
  /** The commits in (from, to], newest first, or why they cannot be listed. */
  between(from: string, to: string): Promise<ChangelogResult>;
}

const SHA = /^[0-9a-f]{7,40}$/i;

/**
 * The names a version may have in the repository: a SHA is itself; `1.2.3` is tagged `v1.2.3` (SPEC:
 * tags vX.Y.Z) or, failing that, `1.2.3`; `v1.2.3` is `v1.2.3`.
 */
export function refCandidates(version: string): string[] {
  if (SHA.test(version) || version.startsWith('v')) return [version];
  return [`v${version}`, version];
}

/**
 * Keeps the newest commits and the figures. `commits` is newest first and ends with the oldest; it may
 * leave out the middle of a long range, whose size is then `total`.
 */
export function summarize(
  from: string,
  to: string,
  commits: readonly ChangelogCommit[],
  total = commits.length,
): Changelog {
  const oldest = commits.at(-1);
  return {
    from,
    to,
    total: Math.max(total, commits.length),
    commits: commits.slice(0, CHANGELOG_KEEP).map((c) => ({ ...c, subject: oneLine(c.subject) })),
    ...(oldest ? { oldestAt: oldest.at } : {}),
  };
}

/** The first line of a commit message, bounded (a subject can be a paragraph). */
export function oneLine(message: string): string {
  const first = message.split('\n', 1)[0]?.trim() ?? '';
  return first.length > 120 ? `${first.slice(0, 119)}…` : first;
}

/**
 * The changelog of a release, or why there is none (no previous version, an end that cannot be
 * found). Any other failure (a 5xx, a timeout, a rate limit) is thrown: it says nothing about the
 * versions, so the caller tries again rather than keeping "no changelog".
 */
export async function findChangelog(
  source: ChangelogSource,
  previous: string | null,
  version: string,
): Promise<ChangelogResult> {
  if (!previous) return { ok: false, reason: 'there is no previous version to compare with' };
  if (previous === version) return { ok: false, reason: `the previous version is ${version} too` };
  return source.between(previous, version);
}

export function describeError(error: unknown): string {
  const e = error as { status?: number; message?: string } | null;
  const text = (e?.message ?? String(error)).split('\n', 1)[0] ?? '';
  return e?.status ? `HTTP ${e.status}: ${text.slice(0, 200)}` : text.slice(0, 200);
}

export type { ChangelogConfig };
