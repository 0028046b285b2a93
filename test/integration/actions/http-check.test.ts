import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../../src/actions/run-action.ts';
import { sendJson, startServer, type TestServer } from '../../helpers/http-server.ts';
import { action, context } from './support.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res, body) => {
    const path = req.url ?? '';
    if (path === '/health')
      return sendJson(res, 200, {
        status: 'healthy',
        version: 'v1.2.3',
        checks: [{ name: 'db', ok: true }],
        extra: 1,
      });
    if (path === '/degraded') return sendJson(res, 200, { status: 'degraded' });
    if (path === '/down') return sendJson(res, 503, { status: 'down' });
    if (path === '/text') return void res.writeHead(200).end('OK');
    if (path === '/echo')
      return sendJson(res, 200, {
        method: req.method,
        got: JSON.parse(body.toString() || 'null'),
        auth: req.headers.authorization ?? null,
      });
    if (path === '/slow') return; // never answers
    sendJson(res, 404, { error: 'not found' });
  });
});
afterAll(() => server.close());

describe('http checks action', () => {
  it('passes when every check passes', async () => {
    const result = await runAction(
      action({
        http: [
          { url: `${server.url}/health`, expect_json: { status: 'healthy', version: '{{version}}' } },
          { url: `${server.url}/text` },
        ],
      }),
      context(),
    );
    expect(result.ok).toBe(true);
    expect(result.summary).toMatch(/^2 checks passed in \d+\.\ds$/);
  });

  const cases: [string, Record<string, unknown>, boolean, string | RegExp][] = [
    ['status matches', { url: '/health', expect_status: 200 }, true, ''],
    ['status differs', { url: '/down' }, false, /: status 503 ≠ 200$/],
    ['expected non-200', { url: '/down', expect_status: 503 }, true, ''],
    ['json subset matches', { url: '/health', expect_json: { checks: [{ ok: true }] } }, true, ''],
    [
      'json value differs',
      { url: '/degraded', expect_json: { status: 'healthy' } },
      false,
      /: `\$\.status` was "degraded", expected "healthy"$/,
    ],
    [
      'json key missing',
      { url: '/degraded', expect_json: { version: 'v1' } },
      false,
      /`\$\.version` is missing, expected "v1"$/,
    ],
    [
      'json array length',
      { url: '/health', expect_json: { checks: [] } },
      false,
      /`\$\.checks` has 1 elements, expected 0$/,
    ],
    [
      'json type strict',
      { url: '/health', expect_json: { extra: '1' } },
      false,
      /`\$\.extra` was 1, expected "1"$/,
    ],
    ['not json', { url: '/text', expect_json: { status: 'ok' } }, false, /response is not JSON$/],
  ];
  it.each(cases)('%s', async (_name, check, ok, summary) => {
    const result = await runAction(
      action({ http: [{ ...check, url: `${server.url}${String(check.url)}` }] }),
      context(),
    );
    expect(result.ok).toBe(ok);
    if (!ok) expect(result.summary).toMatch(summary);
  });

  it('names the failing check and stops there', async () => {
    const before = server.requests.length;
    const result = await runAction(
      action({
        http: [{ url: `${server.url}/health` }, { url: `${server.url}/down` }, { url: `${server.url}/text` }],
      }),
      context(),
    );
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(result.summary).toMatch(/^check 2 \(GET http:\/\/127\.0\.0\.1:\d+\/down\): status 503 ≠ 200$/);
    expect(result.tail).toBe('{"status":"down"}');
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/health', '/down']);
  });

  it('sends method, headers and a rendered JSON body', async () => {
    const result = await runAction(
      action({
        http: [
          {
            url: `${server.url}/echo`,
            method: 'POST',
            headers: { Authorization: 'Bearer t0k' },
            body: { version: '{{version}}' },
            expect_json: { method: 'POST', got: { version: 'v1.2.3' }, auth: 'Bearer t0k' },
          },
        ],
      }),
      context(),
    );
    expect(result.summary).toMatch(/passed/);
  });

  it('times out a check that does not answer', async () => {
    const started = Date.now();
    const result = await runAction(
      action({ http: [{ url: `${server.url}/slow`, timeout: '300ms' }] }),
      context(),
    );
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(result.summary).toMatch(/: timed out after 300ms$/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('renders the url and fails clearly when a value is missing', async () => {
    const result = await runAction(
      action({ http: [{ url: `${server.url}/{{release_id}}` }] }),
      context({ vars: {} }),
    );
    expect(result.summary).toBe('cannot run: {{release_id}} has no value for this release');
  });
});
