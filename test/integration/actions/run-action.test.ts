import { afterEach, describe, expect, it } from 'vitest';
import { actionKind, runAction } from '../../../src/actions/run-action.ts';
import { sendJson, startServer, type TestServer } from '../../helpers/http-server.ts';
import { action, context } from './support.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('runAction', () => {
  it('names each kind', () => {
    expect(
      [
        { command: ['true'] },
        { webhook: { url: 'http://x' } },
        { http: [{ url: 'http://x' }] },
        { pagerduty: { routing_key: 'k' } },
        { github_actions: { repo: 'a/b', workflow: 'w.yml', token: 't' } },
      ].map((raw) => actionKind(action(raw))),
    ).toEqual(['command', 'webhook', 'http', 'pagerduty', 'github_actions']);
  });

  it('dispatches to the runner of the kind', async () => {
    server = await startServer((req, res) => sendJson(res, 200, { path: req.url }));
    const [cmd, hook, check] = await Promise.all([
      runAction(action({ command: [process.execPath, '-e', 'process.exit(0)'] }), context()),
      runAction(action({ webhook: { url: `${server.url}/hook` } }), context()),
      runAction(
        action({ http: [{ url: `${server.url}/check`, expect_json: { path: '/check' } }] }),
        context(),
      ),
    ]);
    expect([cmd.summary, hook.ok, check.summary]).toEqual([
      expect.stringMatching(/^exit 0 in/),
      true,
      expect.stringMatching(/^1 check passed/),
    ]);
  });

  it('an action-level timeout bounds the webhook retries', async () => {
    server = await startServer((_req, res) => sendJson(res, 503, {}, { 'Retry-After': '10' }));
    const started = Date.now();
    const result = await runAction(action({ webhook: { url: server.url }, timeout: '300ms' }), context());
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.summary).toMatch(/^timed out after 0\.\ds calling http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
