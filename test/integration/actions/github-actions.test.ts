import { afterEach, describe, expect, it } from 'vitest';
import { runAction } from '../../../src/actions/run-action.ts';
import { startFakeGithub, type FakeGithub, type FakeGithubOptions } from '../../helpers/fake-github.ts';
import { action, context } from './support.ts';

const TOKEN = 'ghp_test_token_123';
let github: FakeGithub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

async function fake(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  github = await startFakeGithub({ token: TOKEN, ...options });
  return github;
}

const workflow = (gh: FakeGithub, extra: Record<string, unknown> = {}, top: Record<string, unknown> = {}) =>
  action({
    ...top,
    github_actions: {
      repo: 'acme/shop',
      workflow: 'deploy.yml',
      ref: 'main',
      inputs: { version: '{{version}}', environment: '{{environment}}' },
      token: TOKEN,
      api_url: gh.url,
      poll_every: '20ms',
      ...extra,
    },
  });

describe('github_actions action', () => {
  it('dispatches, finds the run, waits for success', async () => {
    const gh = await fake({ pollsToComplete: 3, listCallsBeforeVisible: 2 });
    const result = await runAction(workflow(gh), context());
    expect(result.ok).toBe(true);
    const run = gh.runs[0]!;
    expect(result.summary).toMatch(
      new RegExp(
        `^workflow deploy\\.yml run #${run.run_number} concluded success in \\d+\\.\\ds: ${run.html_url}$`,
      ),
    );
    expect(gh.dispatches).toEqual([
      { workflow: 'deploy.yml', ref: 'main', inputs: { version: 'v1.2.3', environment: 'production' } },
    ]);

    const dispatch = gh.requests.find((r) => r.method === 'POST')!;
    expect(dispatch.path).toBe('/repos/acme/shop/actions/workflows/deploy.yml/dispatches');
    expect(dispatch.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(dispatch.headers.accept).toBe('application/vnd.github+json');
    expect(dispatch.headers['x-github-api-version']).toBe('2022-11-28');

    const list = new URL(gh.requests.find((r) => r.path.includes('/runs?'))!.path, 'http://x');
    expect(list.searchParams.get('event')).toBe('workflow_dispatch');
    expect(list.searchParams.get('branch')).toBe('main');
    expect(list.searchParams.get('created')).toMatch(/^>=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(gh.requests.filter((r) => r.path === `/repos/acme/shop/actions/runs/${run.id}`)).toHaveLength(3);
  });

  it('reports a failed run with its url and conclusion', async () => {
    const gh = await fake({ conclusion: 'failure', pollsToComplete: 2 });
    const result = await runAction(workflow(gh), context());
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.summary).toContain('concluded failure');
    expect(result.summary).toContain(gh.runs[0]!.html_url);
  });

  it('ignores runs that existed before the dispatch, even recent ones', async () => {
    // Ours shows up in the list only on the third call; until then only the other recent run is there.
    const gh = await fake({ pollsToComplete: 1, listCallsBeforeVisible: 2 });
    const now = new Date(Date.now() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const other = gh.addRun({
      workflow: 'deploy.yml',
      created_at: now,
      status: 'in_progress',
      conclusion: null,
    });
    gh.addRun({ workflow: 'deploy.yml', created_at: '2020-01-01T00:00:00Z', conclusion: 'failure' });
    const result = await runAction(workflow(gh), context());
    expect(result.ok).toBe(true);
    const ours = gh.runs.find((r) => r.id !== other.id && r.created_at !== '2020-01-01T00:00:00Z')!;
    expect(result.summary).toContain(ours.html_url);
    expect(gh.requests.some((r) => r.path === `/repos/acme/shop/actions/runs/${other.id}`)).toBe(false);
  });

  it('uses workflow_run_id when the dispatch returns it', async () => {
    const gh = await fake({ returnRunDetails: true, pollsToComplete: 1 });
    const result = await runAction(workflow(gh), context());
    expect(result.ok).toBe(true);
    expect(gh.requests.filter((r) => r.method === 'GET' && r.path.includes('/runs?'))).toHaveLength(1); // only the pre-dispatch list
  });

  it('explains a refused dispatch', async () => {
    const gh = await fake({
      dispatchError: { status: 422, message: "Workflow does not have 'workflow_dispatch' trigger" },
    });
    const result = await runAction(workflow(gh), context());
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.summary).toBe(
      "GitHub refused to dispatch workflow deploy.yml on main: HTTP 422 (Workflow does not have 'workflow_dispatch' trigger)",
    );
  });

  it('a bad token fails without showing it', async () => {
    const gh = await fake();
    const result = await runAction(workflow(gh, { token: 'ghp_wrong_token_456' }), context());
    expect(result.ok).toBe(false);
    expect(result.summary).toContain('HTTP 401 (Bad credentials)');
    expect(JSON.stringify(result)).not.toContain('ghp_wrong_token_456');
  });

  it('times out, cancels the run and says where it was', async () => {
    const gh = await fake({ pollsToComplete: 1000 });
    const result = await runAction(workflow(gh, {}, { timeout: '400ms' }), context());
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.summary).toMatch(
      /^timed out after 400ms waiting for workflow deploy\.yml: \S+ \(in_progress\), run cancelled$/,
    );
    expect(gh.cancelled).toEqual([gh.runs[0]!.id]);
  });

  it('cancels the run when the step is aborted', async () => {
    const gh = await fake({ pollsToComplete: 1000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await runAction(workflow(gh), context({ signal: controller.signal }));
    expect(result.summary).toMatch(/^cancelled: .* run cancelled$/);
    expect(gh.cancelled).toHaveLength(1);
  });
});
