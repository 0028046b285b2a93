// The `github_actions` action: workflow_dispatch, find the run it started, wait for its conclusion.
// GitHub's dispatch answers 204 with no run id (newer API versions may answer 200 {workflow_run_id}),
// so the run is found by listing the workflow's dispatch runs on that ref created since the dispatch,
// ignoring runs that were already listed before we dispatched.
import { formatDuration } from '../config/duration.ts';
import type { ActionConfig, GithubActionsConfig } from '../config/schema.ts';
import { renderDeep } from '../config/template.ts';
import { sleep } from './backoff.ts';
import { deadline } from './deadline.ts';
import { httpAttempt, type HttpAttempt, type HttpMethod } from './http-attempt.ts';
import { elapsedText, renderOr } from './result.ts';
import { scrubberFor } from './scrub.ts';
import type { ActionContext, ActionResult } from './types.ts';

export type GithubActionsAction = Extract<ActionConfig, { github_actions: GithubActionsConfig }>;

export const DEFAULT_GITHUB_TIMEOUT_MS = 30 * 60_000;
/** GitHub stamps created_at in whole seconds and clocks differ; look this far before the dispatch. */
const CLOCK_SLACK_MS = 5000;
const REQUEST_TIMEOUT_MS = 30_000;

interface WorkflowRun {
  id: number;
  run_number?: number;
  status: string;
  conclusion: string | null;
  html_url: string;
  created_at: string;
}

export async function runGithubActions(
  config: GithubActionsAction,
  ctx: ActionContext,
): Promise<ActionResult> {
  const startedAt = Date.now();
  const gh = config.github_actions;
  const rendered = renderOr(
    () => ({ ref: renderDeep(gh.ref, ctx.vars), inputs: renderDeep(gh.inputs, ctx.vars) }),
    startedAt,
  );
  if ('failed' in rendered) return rendered.failed;
  const { ref, inputs } = rendered.value;
  const scrub = scrubberFor(gh.token);
  const timeoutMs = config.timeout ?? DEFAULT_GITHUB_TIMEOUT_MS;
  const limit = deadline(ctx.signal, timeoutMs);
  const api = gh.api_url.replace(/\/+$/, '');
  const workflowPath = `/repos/${gh.repo}/actions/workflows/${encodeURIComponent(gh.workflow)}`;
  const label = `workflow ${gh.workflow}`;

  const call = (
    method: HttpMethod,
    path: string,
    body?: unknown,
    signal: AbortSignal = limit.signal,
  ): Promise<HttpAttempt> =>
    httpAttempt({
      method,
      url: `${api}${path}`,
      headers: {
        Authorization: `Bearer ${gh.token}`,
        Accept: 'application/vnd.github+json',
        'X-GitHub-Api-Version': '2022-11-28',
        'User-Agent': 'runway-release-bot',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
      timeoutMs: REQUEST_TIMEOUT_MS,
      signal,
    });

  const done = (ok: boolean, summary: string, retryable = false): ActionResult => {
    const result = { ok, summary: scrub(summary), durationMs: Date.now() - startedAt, retryable };
    ctx.log.info({ repo: gh.repo, workflow: gh.workflow, ok }, `github_actions ${result.summary}`);
    return result;
  };
  const stopped = (what: string): ActionResult =>
    limit.reason() === 'timed_out'
      ? done(false, `timed out after ${formatDuration(timeoutMs)} ${what}`)
      : done(false, 'cancelled');

  const stopRun = async (runId: number, lastRun: WorkflowRun | null): Promise<ActionResult> => {
    await cancelRun(call, gh.repo, runId);
    const where = lastRun ? `: ${lastRun.html_url} (${lastRun.status})` : '';
    return limit.reason() === 'timed_out'
      ? done(
          false,
          `timed out after ${formatDuration(timeoutMs)} waiting for ${label}${where}, run cancelled`,
        )
      : done(false, `cancelled${where}, run cancelled`);
  };

  try {
    const since = new Date(Date.now() - CLOCK_SLACK_MS);
    const listPath = `${workflowPath}/runs?${new URLSearchParams({
      event: 'workflow_dispatch',
      branch: ref.replace(/^refs\/(heads|tags)\//, ''),
      created: `>=${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
      per_page: '20',
    })}`;

    // Runs already there before we dispatch cannot be ours (another dispatch moments earlier).
    const before = await call('GET', listPath);
    if (before.kind === 'aborted') return stopped('before dispatching');
    const known = new Set(
      before.kind === 'response' && before.status === 200 ? parseRuns(before.body).map((r) => r.id) : [],
    );

    const dispatch = await call('POST', `${workflowPath}/dispatches`, { ref, ...(inputs ? { inputs } : {}) });
    if (dispatch.kind === 'aborted') return stopped('dispatching');
    if (dispatch.kind === 'error') {
      // Only a refused connection surely did not start a run; anything else might have.
      return done(false, `${dispatch.reason} dispatching ${label}`, dispatch.reason === 'connection refused');
    }
    if (dispatch.status !== 204 && dispatch.status !== 200) {
      return done(
        false,
        `GitHub refused to dispatch ${label} on ${ref}: HTTP ${dispatch.status}${githubMessage(dispatch.body)}`,
      );
    }
    ctx.log.info({ repo: gh.repo, workflow: gh.workflow, ref }, 'workflow dispatched');

    let runId = dispatch.status === 200 ? runIdFrom(dispatch.body) : null;
    while (runId === null) {
      const list = await call('GET', listPath);
      if (list.kind === 'aborted') return stopped(`waiting for the ${label} run to appear`);
      const fatal = fatalStatus(list);
      if (fatal) return done(false, `${fatal} listing runs of ${label}`);
      if (list.kind === 'response' && list.status === 200) {
        const ours = parseRuns(list.body)
          .filter((r) => !known.has(r.id) && Date.parse(r.created_at) >= since.getTime())
          .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id)[0];
        if (ours) runId = ours.id;
      }
      if (runId === null && !(await pause(gh.poll_every, limit.signal))) {
        return stopped(`waiting for the ${label} run to appear`);
      }
    }

    let lastStatus = '';
    let lastRun: WorkflowRun | null = null;
    for (;;) {
      const got = await call('GET', `/repos/${gh.repo}/actions/runs/${runId}`);
      if (got.kind === 'aborted') return stopRun(runId, lastRun);
      const fatal = fatalStatus(got);
      if (fatal) return done(false, `${fatal} reading run ${runId} of ${label}`);
      const run = got.kind === 'response' && got.status === 200 ? parseRun(got.body) : null;
      if (run) {
        lastRun = run;
        if (run.status !== lastStatus) {
          ctx.log.info({ runId, status: run.status, url: run.html_url }, 'workflow run status');
          lastStatus = run.status;
        }
        if (run.status === 'completed') {
          const conclusion = run.conclusion ?? 'unknown';
          const number = run.run_number === undefined ? '' : ` run #${run.run_number}`;
          return done(
            conclusion === 'success',
            `${label}${number} concluded ${conclusion} in ${elapsedText(Date.now() - startedAt)}: ${run.html_url}`,
          );
        }
      }
      // Transient errors (5xx, rate limits, a dropped connection) are waited out until the deadline.
      if (!(await pause(gh.poll_every, limit.signal))) return stopRun(runId, lastRun);
    }
  } finally {
    limit.dispose();
  }
}

/** A stopped step must not leave its deploy running: ask GitHub to cancel the run, best effort. */
async function cancelRun(
  call: (method: HttpMethod, path: string, body?: unknown, signal?: AbortSignal) => Promise<HttpAttempt>,
  repo: string,
  runId: number,
): Promise<void> {
  await call('POST', `/repos/${repo}/actions/runs/${runId}/cancel`, undefined, AbortSignal.timeout(10_000));
}

async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}

/** Statuses that waiting will not fix: bad token, no such repo/workflow/run, forbidden (not rate limited). */
function fatalStatus(result: HttpAttempt): string | null {
  if (result.kind !== 'response') return null;
  const { status, headers, body } = result;
  const rateLimited = status === 403 && headers['x-ratelimit-remaining'] === '0';
  if (status === 401 || status === 404 || (status === 403 && !rateLimited)) {
    return `GitHub HTTP ${status}${githubMessage(body)}`;
  }
  return null;
}

function githubMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === 'string' ? ` (${parsed.message})` : '';
  } catch {
    return '';
  }
}

function runIdFrom(body: string): number | null {
  try {
    const id = (JSON.parse(body) as { workflow_run_id?: unknown }).workflow_run_id;
    return typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

function parseRuns(body: string): WorkflowRun[] {
  try {
    const runs = (JSON.parse(body) as { workflow_runs?: unknown }).workflow_runs;
    return Array.isArray(runs) ? runs.map(asRun).filter((r): r is WorkflowRun => r !== null) : [];
  } catch {
    return [];
  }
}

function parseRun(body: string): WorkflowRun | null {
  try {
    return asRun(JSON.parse(body));
  } catch {
    return null;
  }
}

function asRun(value: unknown): WorkflowRun | null {
  if (typeof value !== 'object' || value === null) return null;
  const run = value as Record<string, unknown>;
  if (typeof run.id !== 'number' || typeof run.status !== 'string' || typeof run.created_at !== 'string')
    return null;
  return {
    id: run.id,
    run_number: typeof run.run_number === 'number' ? run.run_number : undefined,
    status: run.status,
    conclusion: typeof run.conclusion === 'string' ? run.conclusion : null,
    html_url: typeof run.html_url === 'string' ? run.html_url : '',
    created_at: run.created_at,
  };
}
