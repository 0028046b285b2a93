// One way to build the GitHub client: @octokit/rest pointed at the configured API base (GitHub
// Enterprise, tests), with a request timeout, and no logging of requests (they carry the token).
import { Octokit } from '@octokit/rest';

const REQUEST_TIMEOUT_MS = 15_000;

export function githubClient(config: { token: string; api_url: string }): Octokit {
  return new Octokit({
    auth: config.token,
    baseUrl: config.api_url.replace(/\/+$/, ''),
    userAgent: 'runway-release-bot',
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    request: {
      fetch: (url: string | URL, init?: RequestInit) =>
        fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
    },
  });
}

export function splitRepo(repo: string): { owner: string; repo: string } {
  const [owner = '', name = ''] = repo.split('/');
  return { owner, repo: name };
}
