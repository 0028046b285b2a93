// The changelog from a local clone: `git` run as an argv array (never a shell), with the versions
// resolved to commits first so a missing tag is told apart from an empty range.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { inheritedEnv } from '../actions/env.ts';
import { refCandidates, summarize, type ChangelogCommit, type ChangelogSource } from './changelog.ts';

const GIT_TIMEOUT_MS = 15_000;
/** A range longer than this is listed up to here (the card shows 10) and counted by rev-list. */
const MAX_COMMITS = 5000;
const FIELD = '\u001f';
const RECORD = '\u001e';

/** `maxCommits`: how many are listed (tests lower it). */
export function gitChangelogSource(clone: string, maxCommits = MAX_COMMITS): ChangelogSource {
  return {
    async between(from, to) {
      // A path that is no clone will not become one by retrying: said once, like a missing tag.
      const missing = await notAClone(clone);
      if (missing) return { ok: false, reason: missing };
      const base = await resolveRef(clone, from);
      if (!base) return { ok: false, reason: `${from} is not in the git clone at ${clone}` };
      const head = await resolveRef(clone, to);
      if (!head) return { ok: false, reason: `${to} is not in the git clone at ${clone}` };
      const out = await git(clone, [
        'log',
        `--max-count=${maxCommits}`,
        `--format=%H${FIELD}%an${FIELD}%aI${FIELD}%s${RECORD}`,
        '--end-of-options',
        `${base}..${head}`,
        '--',
      ]);
      const commits = parseLog(out);
      // A longer range is counted in full (the oldest kept is then the oldest listed).
      const total =
        commits.length < maxCommits
          ? commits.length
          : Number(
              (
                await git(clone, ['rev-list', '--count', '--end-of-options', `${base}..${head}`, '--'])
              ).trim(),
            );
      return { ok: true, changelog: summarize(from, to, commits, total) };
    },
  };
}

/** Why `clone` is no git clone (no such directory, not a repository), or null when it is one. */
async function notAClone(clone: string): Promise<string | null> {
  if (!existsSync(clone)) return `there is no git clone at ${clone}`;
  try {
    await git(clone, ['rev-parse', '--git-dir']);
    return null;
  } catch (error) {
    // 128 is git's "fatal": not a repository; anything else (a timeout) may pass, so it is retried.
    if ((error as { code?: unknown }).code === 128) return `${clone} is not a git clone`;
    throw error;
  }
}

/** The commit a version names (its tag or SHA), or null when the clone has none. */
async function resolveRef(clone: string, version: string): Promise<string | null> {
  for (const ref of refCandidates(version)) {
    try {
      const sha = (
        await git(clone, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
      ).trim();
      if (/^[0-9a-f]{40,64}$/.test(sha)) return sha;
    } catch (error) {
      // rev-parse --verify --quiet exits 1 for a name it does not know; anything else is a real fault.
      if ((error as { code?: unknown }).code !== 1) throw error;
    }
  }
  return null;
}

export function parseLog(out: string): ChangelogCommit[] {
  const commits: ChangelogCommit[] = [];
  for (const record of out.split(RECORD)) {
    const [sha, author, at, subject] = record.replace(/^\n/, '').split(FIELD);
    if (!sha || author === undefined || !at || subject === undefined) continue;
    commits.push({ sha, author, at: new Date(at).toISOString(), subject });
  }
  return commits;
}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-C', cwd, ...args],
      {
        timeout: GIT_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        // Without Runway's own credentials; no pager, no prompts.
        env: { ...inheritedEnv(), GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat' },
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === 'number' ? error.code : undefined;
          reject(
            Object.assign(new Error(`git ${args[0]} failed: ${stderr.trim() || error.message}`), { code }),
          );
        } else resolve(stdout);
      },
    );
  });
}
