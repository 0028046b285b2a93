// The repository endpoints of the GitHub REST API that the changelog and GitHub deployments use,
// written from GitHub's REST docs (docs.github.com/rest/commits/commits#compare-two-commits,
// /rest/deployments/deployments, /rest/deployments/statuses), for fake-github.ts:
//   GET  /repos/{owner}/{repo}/compare/{base}...{head}?per_page&page  → { status, ahead_by, total_commits, commits (oldest first) }
//   GET  /repos/{owner}/{repo}/deployments?ref&environment             → [deployment]
//   POST /repos/{owner}/{repo}/deployments                             → 201 deployment | 422 { message: "No ref found for: …" }
//   POST /repos/{owner}/{repo}/deployments/{id}/statuses                → 201 status
// The history is linear: `commits` oldest first, `refs` name some of them (tags, branches).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http-server.ts';

export interface FakeCommit {
  sha: string;
  message: string;
  author: { name: string; email: string; date: string };
  /** The GitHub account of the author, when the email belongs to one. */
  login?: string;
}

export interface FakeDeployment {
  id: number;
  ref: string;
  sha: string;
  environment: string;
  description: string | null;
  payload: unknown;
  production_environment: boolean;
  created_at: string;
  statuses: { state: string; description: string; environment: string; log_url?: string }[];
}

/** An answer given instead of the real one, `times` times, to requests matching `method` and `path`. */
export interface FakeFault {
  method: string;
  path: RegExp;
  status: number;
  message: string;
  headers?: Record<string, string>;
  /** Only requests whose body matches (a status post of one state). */
  body?: RegExp;
  times: number;
}

export interface FakeRepoState {
  commits: FakeCommit[];
  refs: Record<string, string>;
  deployments: FakeDeployment[];
  /** Errors to answer with first (a rate limit, a 502), used up in order. */
  faults: FakeFault[];
}

export function emptyRepoState(): FakeRepoState {
  return { commits: [], refs: {}, deployments: [], faults: [] };
}

const REPO = /^\/repos\/([^/]+)\/([^/]+)\/(compare|deployments)(\/.*)?$/;

/** Handles the request when it is one of these endpoints; returns false otherwise. */
export function handleRepoRequest(
  state: FakeRepoState,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
): boolean {
  const url = new URL(req.url ?? '/', 'http://fake');
  const m = REPO.exec(url.pathname);
  if (!m) return false;
  const [, owner, repo, kind, rest = ''] = m;
  const fault = state.faults.find(
    (f) =>
      f.times > 0 &&
      f.method === req.method &&
      f.path.test(url.pathname) &&
      (!f.body || f.body.test(body.toString())),
  );
  if (fault) {
    fault.times--;
    sendJson(res, fault.status, { message: fault.message }, fault.headers ?? {});
    return true;
  }
  const base = `https://api.github.example/repos/${owner}/${repo}`;
  if (kind === 'compare' && req.method === 'GET') {
    compare(state, decodeURIComponent(rest.slice(1)), url, res, `${owner}/${repo}`);
    return true;
  }
  if (kind === 'deployments' && rest === '' && req.method === 'GET') {
    const ref = url.searchParams.get('ref');
    const env = url.searchParams.get('environment');
    const found = state.deployments
      .filter((d) => (!ref || d.ref === ref) && (!env || d.environment === env))
      .sort((a, b) => b.id - a.id);
    sendJson(
      res,
      200,
      found.map((d) => publicDeployment(d, base)),
    );
    return true;
  }
  if (kind === 'deployments' && rest === '' && req.method === 'POST') {
    const input = JSON.parse(body.toString()) as Record<string, unknown>;
    const ref = String(input.ref ?? '');
    const sha = resolve(state, ref);
    if (!sha) {
      sendJson(res, 422, {
        message: `No ref found for: ${ref}`,
        documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
      });
      return true;
    }
    const deployment: FakeDeployment = {
      id: nextDeploymentId(state),
      ref,
      sha,
      environment: typeof input.environment === 'string' ? input.environment : 'production',
      description: typeof input.description === 'string' ? input.description : null,
      payload: input.payload ?? {},
      production_environment: input.production_environment === true,
      created_at: new Date().toISOString(),
      statuses: [],
    };
    state.deployments.push(deployment);
    sendJson(res, 201, publicDeployment(deployment, base));
    return true;
  }
  const status = /^\/(\d+)\/statuses$/.exec(rest);
  if (kind === 'deployments' && status && req.method === 'POST') {
    const deployment = state.deployments.find((d) => d.id === Number(status[1]));
    if (!deployment) {
      sendJson(res, 404, { message: 'Not Found' });
      return true;
    }
    const input = JSON.parse(body.toString()) as Record<string, unknown>;
    const states = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];
    if (typeof input.state !== 'string' || !states.includes(input.state)) {
      sendJson(res, 422, { message: 'Validation Failed', errors: [{ field: 'state', code: 'invalid' }] });
      return true;
    }
    const entry = {
      state: input.state,
      description: typeof input.description === 'string' ? input.description : '',
      environment: typeof input.environment === 'string' ? input.environment : deployment.environment,
      ...(typeof input.log_url === 'string' ? { log_url: input.log_url } : {}),
    };
    deployment.statuses.push(entry);
    sendJson(res, 201, {
      id: deployment.id * 100 + deployment.statuses.length,
      state: entry.state,
      description: entry.description,
      environment: entry.environment,
      log_url: entry.log_url ?? '',
      deployment_url: `${base}/deployments/${deployment.id}`,
      created_at: new Date().toISOString(),
    });
    return true;
  }
  sendJson(res, 404, { message: 'Not Found' });
  return true;
}

const created = new WeakMap<FakeRepoState, number>();
/** 7001, 7002, …: never reused, even after a test deletes a deployment. */
function nextDeploymentId(state: FakeRepoState): number {
  const id = (created.get(state) ?? 7000) + 1;
  created.set(state, id);
  return id;
}

function resolve(state: FakeRepoState, ref: string): string | null {
  if (state.refs[ref]) return state.refs[ref];
  if (/^[0-9a-f]{7,40}$/.test(ref)) return state.commits.find((c) => c.sha.startsWith(ref))?.sha ?? null;
  return null;
}

function compare(state: FakeRepoState, basehead: string, url: URL, res: ServerResponse, repo: string): void {
  const [baseRef = '', headRef = ''] = basehead.split('...');
  const base = resolve(state, baseRef);
  const head = resolve(state, headRef);
  if (!base || !head) {
    sendJson(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    return;
  }
  const from = state.commits.findIndex((c) => c.sha === base);
  const to = state.commits.findIndex((c) => c.sha === head);
  const range = to > from ? state.commits.slice(from + 1, to + 1) : [];
  const perPage = Number(url.searchParams.get('per_page') ?? 250);
  const page = Number(url.searchParams.get('page') ?? 1);
  const shown = range.slice((page - 1) * perPage, page * perPage);
  sendJson(res, 200, {
    url: `https://api.github.example/repos/${repo}/compare/${basehead}`,
    status: to > from ? 'ahead' : to === from ? 'identical' : 'behind',
    ahead_by: range.length,
    behind_by: to < from ? from - to : 0,
    total_commits: range.length,
    commits: shown.map((c) => ({
      sha: c.sha,
      html_url: `https://github.example/${repo}/commit/${c.sha}`,
      commit: { message: c.message, author: c.author, committer: c.author },
      author: c.login ? { login: c.login, id: 1, type: 'User' } : null,
      committer: null,
      parents: [],
    })),
    files: [],
  });
}

function publicDeployment(d: FakeDeployment, base: string): Record<string, unknown> {
  return {
    id: d.id,
    url: `${base}/deployments/${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: 'deploy',
    payload: d.payload,
    environment: d.environment,
    description: d.description,
    production_environment: d.production_environment,
    created_at: d.created_at,
    updated_at: d.created_at,
    statuses_url: `${base}/deployments/${d.id}/statuses`,
    repository_url: base,
    creator: { login: 'runway-bot', id: 2, type: 'Bot' },
  };
}
