// A real git repository made by a test: commits with given subjects and authors, tags on some of them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRepo {
  dir: string;
  commit(subject: string, author?: string, date?: string): string;
  tag(name: string): void;
  remove(): void;
}

export function makeGitRepo(): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), 'runway-git-'));
  const git = (args: string[], env: Record<string, string> = {}) =>
    execFileSync('git', ['-C', dir, ...args], {
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir, ...env },
      encoding: 'utf8',
    }).trim();
  git(['init', '-q', '-b', 'main']);
  let n = 0;
  return {
    dir,
    commit(subject, author = 'Ada Lovelace', date = new Date(Date.UTC(2026, 0, 1, 10, n)).toISOString()) {
      n += 1;
      writeFileSync(join(dir, 'file.txt'), `${n}\n`);
      git(['add', 'file.txt']);
      const email = `${author.toLowerCase().replace(/\W+/g, '.')}@example.com`;
      git(['commit', '-q', '-m', subject], {
        GIT_AUTHOR_NAME: author,
        GIT_AUTHOR_EMAIL: email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: author,
        GIT_COMMITTER_EMAIL: email,
        GIT_COMMITTER_DATE: date,
      });
      return git(['rev-parse', 'HEAD']);
    },
    tag(name) {
      git(['tag', name]);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
