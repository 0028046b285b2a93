// A fake of the GitHub REST endpoints the github_actions action uses, on a real HTTP server:
//   POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches      → 204 (or 200 {workflow_run_id, …})
//   GET  /repos/{owner}/{repo}/actions/workflows/{workflow}/runs?event&branch&created → {total_count, workflow_runs}
//   GET  /repos/{owner}/{repo}/actions/runs/{run_id}                          → the run
//   POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel                   → 202
//   … and the compare and deployments endpoints of fake-github-repos.ts.
// A dispatched run is queued, then in_progress, then completed with `conclusion` after `pollsToComplete` GETs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, startServer, type RecordedRequest } from './http-server.ts';
import { emptyRepoState, handleRepoRequest, type FakeRepoState } from './fake-github-repos.ts';

export interface FakeRun {
  id: number;
  run_number: number;
  name: string;
  workflow: string;
  head_branch: string;
  event: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  html_url: string;
  created_at: string;
  inputs: Record<string, string>;
  polls: number;
}

export interface FakeGithubOptions {
  token?: string;
  /** Conclusion of dispatched runs. */
  conclusion?: 'success' | 'failure' | 'cancelled' | 'timed_out';
  /** GETs of the run before it is completed (first GET: queued, then in_progress). */
  pollsToComplete?: number;
  /** List calls after the dispatch before the new run shows up (GitHub takes a few seconds). */
  listCallsBeforeVisible?: number;
  /** Answer the dispatch with 200 {workflow_run_id} like newer API versions. */
  returnRunDetails?: boolean;
  /** Answer the dispatch with this status and body instead. */
  dispatchError?: { status: number; message: string };
}

export interface FakeGithub {
  url: string;
  requests: RecordedRequest[];
  runs: FakeRun[];
  dispatches: { workflow: string; ref: string; inputs: Record<string, string> }[];
  cancelled: number[];
  /** Commits, refs and deployments for the compare and deployments endpoints (fake-github-repos.ts). */
  repo: FakeRepoState;
  /** Add a run that was there before (another release, an earlier dispatch). */
  addRun(run: Partial<FakeRun> & { workflow: string; created_at: string }): FakeRun;
  close(): Promise<void>;
}

const PREFIX = /^\/repos\/([^/]+)\/([^/]+)\/actions\//;

export async function startFakeGithub(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  const token = options.token ?? 'ghp_test_token_123';
  const runs: FakeRun[] = [];
  const dispatches: FakeGithub['dispatches'] = [];
  const cancelled: number[] = [];
  let nextId = 9000;
  let listCallsSinceDispatch = 0;
  let hiddenRun: FakeRun | null = null;
  const repo = emptyRepoState();

  const makeRun = (fields: Partial<FakeRun> & { workflow: string; created_at: string }): FakeRun => {
    const id = fields.id ?? nextId++;
    return {
      id,
      run_number: id - 8999,
      name: fields.workflow,
      head_branch: 'main',
      event: 'workflow_dispatch',
      status: 'completed',
      conclusion: 'success',
      html_url: `https://github.example/acme/shop/actions/runs/${id}`,
      inputs: {},
      polls: 0,
      ...fields,
    };
  };

  const handler = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    // Octokit sends `token <t>`, GitHub accepts both forms.
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${token}` && auth !== `token ${token}`) {
      return sendJson(res, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
      });
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    if (handleRepoRequest(repo, req, res, body)) return;
    if (!PREFIX.test(path)) return sendJson(res, 404, { message: 'Not Found' });
    const rest = path.replace(PREFIX, '');
    let m: RegExpExecArray | null;

    if (req.method === 'POST' && (m = /^workflows\/([^/]+)\/dispatches$/.exec(rest))) {
      if (options.dispatchError)
        return sendJson(res, options.dispatchError.status, { message: options.dispatchError.message });
      const { ref, inputs } = JSON.parse(body.toString()) as { ref: string; inputs?: Record<string, string> };
      const workflow = decodeURIComponent(m[1] ?? '');
      dispatches.push({ workflow, ref, inputs: inputs ?? {} });
      const created = new Date();
      created.setMilliseconds(0); // GitHub's created_at has whole seconds
      const run = makeRun({
        workflow,
        head_branch: ref,
        status: 'queued',
        conclusion: null,
        created_at: created.toISOString().replace('.000Z', 'Z'),
        inputs: inputs ?? {},
      });
      runs.push(run);
      listCallsSinceDispatch = 0;
      hiddenRun = options.listCallsBeforeVisible ? run : null;
      if (options.returnRunDetails) {
        return sendJson(res, 200, {
          workflow_run_id: run.id,
          run_url: `/runs/${run.id}`,
          html_url: run.html_url,
        });
      }
      res.writeHead(204).end();
      return;
    }

    if (req.method === 'GET' && (m = /^workflows\/([^/]+)\/runs$/.exec(rest))) {
      const workflow = decodeURIComponent(m[1] ?? '');
      if (hiddenRun && listCallsSinceDispatch++ >= (options.listCallsBeforeVisible ?? 0)) hiddenRun = null;
      const event = url.searchParams.get('event');
      const branch = url.searchParams.get('branch');
      const created = url.searchParams.get('created');
      const since = created?.startsWith('>=') ? Date.parse(created.slice(2)) : -Infinity;
      const found = runs
        .filter((r) => r !== hiddenRun && r.workflow === workflow)
        .filter((r) => !event || r.event === event)
        .filter((r) => !branch || r.head_branch === branch)
        .filter((r) => Date.parse(r.created_at) >= since)
        .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id);
      return sendJson(res, 200, { total_count: found.length, workflow_runs: found.map(publicRun) });
    }

    if (req.method === 'GET' && (m = /^runs\/(\d+)$/.exec(rest))) {
      const run = runs.find((r) => r.id === Number(m![1]));
      if (!run) return sendJson(res, 404, { message: 'Not Found' });
      if (run.status !== 'completed') {
        run.polls++;
        if (run.polls >= (options.pollsToComplete ?? 3)) {
          run.status = 'completed';
          run.conclusion = options.conclusion ?? 'success';
        } else {
          run.status = run.polls === 1 ? 'queued' : 'in_progress';
        }
      }
      return sendJson(res, 200, publicRun(run));
    }

    if (req.method === 'POST' && (m = /^runs\/(\d+)\/cancel$/.exec(rest))) {
      const run = runs.find((r) => r.id === Number(m![1]));
      if (!run) return sendJson(res, 404, { message: 'Not Found' });
      cancelled.push(run.id);
      run.status = 'completed';
      run.conclusion = 'cancelled';
      return sendJson(res, 202, {});
    }

    sendJson(res, 404, { message: 'Not Found' });
  };

  const server = await startServer(handler);
  return {
    url: server.url,
    requests: server.requests,
    runs,
    dispatches,
    cancelled,
    repo,
    addRun: (fields) => {
      const run = makeRun(fields);
      runs.push(run);
      return run;
    },
    close: () => server.close(),
  };
}

function publicRun(run: FakeRun): Record<string, unknown> {
  const { polls: _polls, inputs: _inputs, workflow: _workflow, ...fields } = run;
  return { ...fields, path: `.github/workflows/${run.workflow}` };
}
