import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError, findChangelog } from '../../../src/insight/changelog.ts';
import { gitChangelogSource } from '../../../src/insight/changelog-git.ts';
import { githubChangelogSource } from '../../../src/insight/changelog-github.ts';
import { githubClient } from '../../../src/insight/octokit.ts';
import { makeGitRepo } from '../../helpers/git-repo.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-github.ts';

const repo = makeGitRepo();
repo.commit('Initial import');
repo.tag('v1.0.0');
const shas: string[] = [];
for (let i = 1; i <= 12; i++)
  shas.push(repo.commit(`Change number ${i}`, i % 2 ? 'Ada Lovelace' : 'Grace Hopper'));
repo.tag('v1.1.0');
repo.commit('After the release');
afterAll(() => repo.remove());

describe('changelog from a git clone', () => {
  const source = gitChangelogSource(repo.dir);

  it('lists the commits between two tags, newest first, keeping ten and the count', async () => {
    const result = await findChangelog(source, 'v1.0.0', 'v1.1.0');
    if (!result.ok) throw new Error(result.reason);
    const { changelog } = result;
    expect(changelog.total).toBe(12);
    expect(changelog.commits).toHaveLength(10);
    expect(changelog.commits[0]).toMatchObject({
      sha: shas[11],
      subject: 'Change number 12',
      author: 'Grace Hopper',
    });
    expect(changelog.commits[9]?.subject).toBe('Change number 3');
    expect(changelog.oldestAt).toBe(new Date(Date.UTC(2026, 0, 1, 10, 1)).toISOString());
  });

  it('counts a range longer than it lists', async () => {
    const result = await findChangelog(gitChangelogSource(repo.dir, 5), 'v1.0.0', 'v1.1.0');
    if (!result.ok) throw new Error(result.reason);
    expect(result.changelog.total).toBe(12);
    expect(result.changelog.commits.map((c) => c.subject)[0]).toBe('Change number 12');
  });

  it('finds versions written without the v as vX.Y.Z tags, and SHAs as themselves', async () => {
    const byName = await findChangelog(source, '1.0.0', '1.1.0');
    expect(byName.ok && byName.changelog.total).toBe(12);
    const bySha = await findChangelog(source, shas[9]!.slice(0, 10), 'v1.1.0');
    expect(bySha.ok && bySha.changelog.commits.map((c) => c.subject)).toEqual([
      'Change number 12',
      'Change number 11',
    ]);
  });

  it('has no changelog when a tag is missing, and says which', async () => {
    const result = await findChangelog(source, 'v1.0.0', 'v9.9.9');
    expect(result).toEqual({ ok: false, reason: `v9.9.9 is not in the git clone at ${repo.dir}` });
  });

  it('has no changelog when there is no previous version', async () => {
    expect(await findChangelog(source, null, 'v1.1.0')).toMatchObject({ ok: false });
  });

  it('has no changelog, said at once, when there is no clone at the path (retrying cannot make one)', async () => {
    expect(await findChangelog(gitChangelogSource('/nonexistent/clone'), 'v1.0.0', 'v1.1.0')).toEqual({
      ok: false,
      reason: 'there is no git clone at /nonexistent/clone',
    });
    const plain = mkdtempSync(join(tmpdir(), 'runway-not-a-clone-'));
    expect(await findChangelog(gitChangelogSource(plain), 'v1.0.0', 'v1.1.0')).toEqual({
      ok: false,
      reason: `${plain} is not a git clone`,
    });
  });

  it('never lets a version reach git as an option', async () => {
    const result = await findChangelog(source, '--output=/tmp/pwned', 'v1.1.0');
    expect(result.ok).toBe(false);
  });
});

describe('changelog from GitHub compare, through @octokit/rest', () => {
  let gh: FakeGithub | undefined;
  afterEach(async () => {
    await gh?.close();
    gh = undefined;
  });

  async function fake(count = 130): Promise<FakeGithub> {
    gh = await startFakeGithub({ token: 'ghp_compare' });
    const date = (i: number) => new Date(Date.UTC(2026, 1, 1, 9, i)).toISOString();
    for (let i = 0; i <= count; i++) {
      gh.repo.commits.push({
        sha: i.toString(16).padStart(40, 'a'),
        message: `Commit ${i}\n\nLonger body`,
        author: { name: `Dev ${i}`, email: `dev${i}@example.com`, date: date(i) },
        ...(i % 2 ? { login: `dev${i}` } : {}),
      });
    }
    gh.repo.refs['v2.0.0'] = gh.repo.commits[0]!.sha;
    gh.repo.refs['v2.1.0'] = gh.repo.commits[count]!.sha;
    return gh;
  }

  it('pages through a long comparison and keeps the newest ten with their authors', async () => {
    const server = await fake();
    const source = githubChangelogSource(
      githubClient({ token: 'ghp_compare', api_url: server.url }),
      'acme/shop',
    );
    const result = await findChangelog(source, 'v2.0.0', '2.1.0');
    if (!result.ok) throw new Error(result.reason);
    expect(result.changelog.total).toBe(130);
    expect(result.changelog.commits[0]).toMatchObject({ subject: 'Commit 130', author: 'Dev 130' });
    expect(result.changelog.commits[1]).toMatchObject({ subject: 'Commit 129', author: 'dev129' });
    expect(result.changelog.oldestAt).toBe(new Date(Date.UTC(2026, 1, 1, 9, 1)).toISOString());
    const compares = server.requests.filter((r) => r.path.includes('/compare/'));
    expect(compares[0]?.path).toContain('/repos/acme/shop/compare/v2.0.0...v2.1.0');
    expect(compares[0]?.headers.authorization).toBe('token ghp_compare');
    expect(compares.length).toBe(2);
  });

  it.each([
    [1234, 2],
    [1201, 3],
    [103, 2],
  ])(
    'counts a range of %i commits by total_commits and shows the newest ten (%i requests)',
    async (count, requests) => {
      const server = await fake(count);
      const source = githubChangelogSource(
        githubClient({ token: 'ghp_compare', api_url: server.url }),
        'acme/shop',
      );
      const result = await findChangelog(source, 'v2.0.0', 'v2.1.0');
      if (!result.ok) throw new Error(result.reason);
      expect(result.changelog.total).toBe(count);
      expect(result.changelog.commits.map((c) => c.subject)).toEqual(
        Array.from({ length: 10 }, (_, i) => `Commit ${count - i}`),
      );
      // Lead time: the oldest new commit is on the first page.
      expect(result.changelog.oldestAt).toBe(new Date(Date.UTC(2026, 1, 1, 9, 1)).toISOString());
      expect(server.requests.filter((r) => r.path.includes('/compare/'))).toHaveLength(requests);
    },
  );

  it('has no changelog when GitHub does not know a tag', async () => {
    const server = await fake();
    const source = githubChangelogSource(
      githubClient({ token: 'ghp_compare', api_url: server.url }),
      'acme/shop',
    );
    const result = await findChangelog(source, 'v2.0.0', 'v3.0.0');
    expect(result).toEqual({ ok: false, reason: 'GitHub does not know v2.0.0 or v3.0.0 in acme/shop' });
  });

  it('throws when the API cannot be reached (to retry), with no token in the error', async () => {
    const source = githubChangelogSource(
      githubClient({ token: 'ghp_secret_value', api_url: 'http://127.0.0.1:9' }),
      'acme/shop',
    );
    const error: unknown = await findChangelog(source, 'v2.0.0', 'v2.1.0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(describeError(error)).not.toContain('ghp_secret_value');
  });

  it('throws on a 502 from compare instead of keeping it as no changelog', async () => {
    const server = await fake();
    server.repo.faults.push({
      method: 'GET',
      path: /\/compare\//,
      status: 502,
      message: 'Bad Gateway',
      times: 1,
    });
    const source = githubChangelogSource(
      githubClient({ token: 'ghp_compare', api_url: server.url }),
      'acme/shop',
    );
    await expect(findChangelog(source, 'v2.0.0', 'v2.1.0')).rejects.toMatchObject({ status: 502 });
    const again = await findChangelog(source, 'v2.0.0', 'v2.1.0');
    expect(again.ok && again.changelog.total).toBe(130);
  });
});
