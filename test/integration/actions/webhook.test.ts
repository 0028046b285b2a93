import { afterEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../../../src/actions/hmac.ts';
import { runAction } from '../../../src/actions/run-action.ts';
import {
  closedPort,
  sendJson,
  startServer,
  type Handler,
  type TestServer,
} from '../../helpers/http-server.ts';
import { action, context } from './support.ts';

const SECRET = 'whsec_very-secret-value';
const fast = { backoff: { baseMs: 5, capMs: 20 } };
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server answering with the given statuses in turn (the last one repeats). */
async function answering(...statuses: (number | [number, Record<string, string>])[]): Promise<TestServer> {
  let call = 0;
  const handler: Handler = (_req, res) => {
    const next = statuses[Math.min(call++, statuses.length - 1)]!;
    const [status, headers] = Array.isArray(next) ? next : [next, {}];
    sendJson(res, status, { status, note: `echo ${SECRET}` }, headers);
  };
  server = await startServer(handler);
  return server;
}

const hook = (url: string, extra: Record<string, unknown> = {}) =>
  action({
    webhook: {
      url: `${url}/traffic`,
      body: { weight: '{{percent}}', version: '{{version}}' },
      secret: SECRET,
      ...extra,
    },
  });

describe('webhook action', () => {
  it('posts the rendered JSON body, signed with HMAC-SHA256 over the raw bytes', async () => {
    const srv = await answering(200);
    const before = Math.floor(Date.now() / 1000);
    const result = await runAction(hook(srv.url, { headers: { 'X-Team': '{{service}}' } }), context(), fast);
    expect(result.ok).toBe(true);
    expect(result.summary).toMatch(/^HTTP 200 from http:\/\/127\.0\.0\.1:\d+\/traffic in \d+\.\ds$/);
    const [req] = srv.requests;
    expect(req?.method).toBe('POST');
    expect(JSON.parse(req!.body.toString())).toEqual({ weight: '10', version: 'v1.2.3' });
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['x-team']).toBe('checkout');
    expect(req?.headers['idempotency-key']).toBe('rel_42:deploy:1');
    expect(verifySignature(SECRET, req!.body, req?.headers['x-runway-signature'] as string)).toBe(true);
    expect(verifySignature('wrong-secret', req!.body, req?.headers['x-runway-signature'] as string)).toBe(
      false,
    );
    const ts = Number(req?.headers['x-runway-timestamp']);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(before + 5);
  });

  it('sends no signature without a secret', async () => {
    const srv = await answering(204);
    const result = await runAction(action({ webhook: { url: srv.url, body: { a: 1 } } }), context(), fast);
    expect(result.ok).toBe(true);
    expect(srv.requests[0]?.headers['x-runway-signature']).toBeUndefined();
  });

  it('retries 500, 500 then succeeds, with the same Idempotency-Key and signature each time', async () => {
    const srv = await answering(500, 503, 200);
    const result = await runAction(hook(srv.url), context(), fast);
    expect(result.ok).toBe(true);
    expect(result.summary).toContain('(attempt 3)');
    expect(srv.requests).toHaveLength(3);
    expect(new Set(srv.requests.map((r) => r.headers['idempotency-key']))).toEqual(
      new Set(['rel_42:deploy:1']),
    );
    for (const req of srv.requests)
      expect(verifySignature(SECRET, req.body, req.headers['x-runway-signature'] as string)).toBe(true);
  });

  it('gives up after `retries` and says how many attempts were made; the step does not start them over', async () => {
    const srv = await answering(502);
    const result = await runAction(hook(srv.url, { retries: 2 }), context(), fast);
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.summary).toMatch(/^HTTP 502 from http:\/\/127\.0\.0\.1:\d+\/traffic after 3 attempts$/);
    expect(srv.requests).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    const srv = await answering(400, 200);
    const result = await runAction(hook(srv.url), context(), fast);
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.summary).toMatch(/HTTP 400 from .*, not retried$/);
    expect(srv.requests).toHaveLength(1);
  });

  it('waits for Retry-After on 429', async () => {
    const srv = await answering([429, { 'Retry-After': '1' }], 200);
    const result = await runAction(hook(srv.url), context(), fast);
    expect(result.ok).toBe(true);
    expect(srv.requests).toHaveLength(2);
    const gap = srv.requests[1]!.at - srv.requests[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(950);
  });

  it('honours expect_status as a number or a list', async () => {
    const srv = await answering(202);
    expect((await runAction(hook(srv.url, { expect_status: 202 }), context(), fast)).ok).toBe(true);
    expect((await runAction(hook(srv.url, { expect_status: [200, 202] }), context(), fast)).ok).toBe(true);
    const wrong = await runAction(hook(srv.url, { expect_status: 201 }), context(), fast);
    expect(wrong).toMatchObject({ ok: false, retryable: false });
  });

  it('retries a refused connection, then fails for good (its retries are spent)', async () => {
    const port = await closedPort();
    const result = await runAction(hook(`http://127.0.0.1:${port}`, { retries: 1 }), context(), fast);
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.summary).toMatch(
      /^connection refused calling http:\/\/127\.0\.0\.1:\d+\/traffic after 2 attempts$/,
    );
  });

  it('times out a slow attempt and retries it', async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      if (calls++ === 0) return; // never answers
      sendJson(res, 200, { ok: true });
    });
    const result = await runAction(hook(server.url, { timeout: '300ms' }), context(), fast);
    expect(result.ok).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('stops at once when the signal aborts, even while waiting to retry', async () => {
    const srv = await answering([503, { 'Retry-After': '30' }]);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const result = await runAction(hook(srv.url), context({ signal: controller.signal }), fast);
    expect(result).toMatchObject({ ok: false, summary: 'cancelled', retryable: false });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('never shows the secret in the summary or tail', async () => {
    const srv = await answering(500);
    const result = await runAction(hook(`${srv.url}/${SECRET}`, { retries: 0 }), context(), fast);
    expect(result.ok).toBe(false);
    expect(result.tail).toContain('[redacted]');
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('keeps the first 2 KB of the response body as tail', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`error: ${'z'.repeat(10_000)}`);
    });
    const result = await runAction(hook(server.url, { retries: 0 }), context(), fast);
    expect(result.tail?.startsWith('error: zzz')).toBe(true);
    expect(Buffer.byteLength(result.tail ?? '')).toBeLessThanOrEqual(2048 + 3);
  });

  it('a template without a value is not sent', async () => {
    const srv = await answering(200);
    const result = await runAction(hook(srv.url), context({ vars: { version: 'v1' } }), fast);
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      summary: 'cannot run: {{percent}} has no value for this release',
    });
    expect(srv.requests).toHaveLength(0);
  });
});
