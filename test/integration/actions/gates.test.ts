import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleGate } from '../../../src/metrics/sample-gate.ts';
import { closedPort, sendJson, startServer, type TestServer } from '../../helpers/http-server.ts';
import { fixture, gate, isAlive, vars, waitFor } from './support.ts';

/** Prometheus HTTP API replies, keyed by the query text. */
const PROM: Record<string, [number, unknown] | 'slow'> = {
  scalar: [200, { status: 'success', data: { resultType: 'scalar', result: [1717000000.123, '1.5'] } }],
  one: [
    200,
    {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [1717000000, '0.002'] }] },
    },
  ],
  empty: [200, { status: 'success', data: { resultType: 'vector', result: [] } }],
  two: [
    200,
    {
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { pod: 'a' }, value: [1, '1'] },
          { metric: { pod: 'b' }, value: [1, '2'] },
        ],
      },
    },
  ],
  nan: [
    200,
    { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, 'NaN'] }] } },
  ],
  inf: [200, { status: 'success', data: { resultType: 'scalar', result: [1, '+Inf'] } }],
  bad: [400, { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unexpected end of input' }],
  broken: [500, 'upstream connect error'],
  slow: 'slow',
  'rate{version="v1.2.3"}': [200, { status: 'success', data: { resultType: 'scalar', result: [1, '7'] } }],
};

let prom: TestServer;
let metrics: TestServer;
beforeAll(async () => {
  prom = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/prom/api/v1/query')
      return sendJson(res, 404, { status: 'error', errorType: 'not_found', error: url.pathname });
    const reply = PROM[url.searchParams.get('query') ?? ''];
    if (reply === 'slow') return;
    if (!reply) return sendJson(res, 200, { status: 'success', data: { resultType: 'vector', result: [] } });
    if (typeof reply[1] === 'string') return void res.writeHead(reply[0]).end(reply[1]);
    sendJson(res, reply[0], reply[1]);
  });
  metrics = await startServer((req, res) => {
    if (req.url === '/500') return sendJson(res, 500, { error: 'boom' });
    if (req.url === '/html') return void res.writeHead(200).end('<html>');
    // A misconfigured endpoint that echoes the credential it was sent, in an error and in a 200.
    if (req.url === '/echo-401')
      return sendJson(res, 401, { error: `invalid key ${String(req.headers['x-api-key'])}` });
    if (req.url === '/echo-200') return void res.writeHead(200).end(`bad auth: ${req.headers.authorization}`);
    sendJson(res, 200, {
      data: { error_rate: 0.004, p99: '1.25', label: 'high', nothing: null },
      items: [{ value: 3 }, { value: 4 }],
    });
  });
});
afterAll(async () => {
  await prom.close();
  await metrics.close();
});

const promGate = (query: string, extra: Record<string, unknown> = {}) =>
  gate({ prometheus: { url: `${prom.url}/prom/`, query }, max: 1, timeout: '300ms', ...extra });

describe('prometheus gate', () => {
  const cases: [string, number | null, string | RegExp | undefined][] = [
    ['scalar', 1.5, undefined],
    ['one', 0.002, undefined],
    ['empty', null, 'no data: the query returned an empty vector'],
    ['two', null, /^Prometheus returned 2 series; a gate needs exactly one/],
    ['nan', null, /returned NaN/],
    ['inf', null, /returned \+Inf/],
    ['bad', null, 'Prometheus query failed (bad_data): 1:5: parse error: unexpected end of input'],
    ['broken', null, 'Prometheus HTTP 500: upstream connect error'],
    ['slow', null, /^Prometheus did not answer within 300ms/],
  ];
  it.each(cases)('%s → %s', async (query, value, error) => {
    const sample = await sampleGate(promGate(query), { vars });
    expect(sample.value).toBe(value);
    if (error === undefined) expect(sample.error).toBeUndefined();
    else expect(sample.error).toMatch(error);
  });

  it('renders templates in the query and url-encodes it', async () => {
    const sample = await sampleGate(promGate('rate{version="{{version}}"}'), { vars });
    expect(sample).toEqual({ value: 7 });
  });

  it('says when Prometheus is unreachable', async () => {
    const port = await closedPort();
    const sample = await sampleGate(
      gate({ prometheus: { url: `http://127.0.0.1:${port}`, query: 'up' }, max: 1 }),
      { vars },
    );
    expect(sample).toEqual({
      value: null,
      error: `Prometheus unreachable at http://127.0.0.1:${port}/api/v1/query: connection refused`,
    });
  });

  it('a missing template value is a reason, not a throw', async () => {
    const sample = await sampleGate(promGate('rate{v="{{version}}"}'), { vars: {} });
    expect(sample).toEqual({ value: null, error: '{{version}} has no value for this release' });
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const sample = await sampleGate(promGate('slow', { timeout: '10s' }), {
      vars,
      signal: controller.signal,
    });
    expect(sample).toEqual({ value: null, error: 'cancelled' });
  });
});

describe('http gate', () => {
  const cases: [string, string, number | null, string | RegExp | undefined][] = [
    ['dotted', 'data.error_rate', 0.004, undefined],
    ['$-rooted', '$.data.error_rate', 0.004, undefined],
    ['index', 'items[1].value', 4, undefined],
    ['numeric string', 'data.p99', 1.25, undefined],
    ['not a number', 'data.label', null, 'data.label is "high", not a number'],
    ['null', 'data.nothing', null, 'data.nothing is null, not a number'],
    ['missing key', 'data.latency', null, 'no value at data.latency: `$.data` has no key "latency"'],
    [
      'index past end',
      'items[5].value',
      null,
      'no value at items[5].value: `$.items` has 2 elements, no [5]',
    ],
  ];
  it.each(cases)('%s: %s', async (_name, path, value, error) => {
    const sample = await sampleGate(gate({ http: { url: metrics.url, path }, max: 1 }), { vars });
    expect(sample.value).toBe(value);
    if (error === undefined) expect(sample.error).toBeUndefined();
    else expect(sample.error).toMatch(error);
  });

  it('an HTTP error is no data with the status', async () => {
    const sample = await sampleGate(gate({ http: { url: `${metrics.url}/500`, path: 'x' }, max: 1 }), {
      vars,
    });
    expect(sample.value).toBeNull();
    expect(sample.error).toMatch(/^HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/500/);
  });

  it('a body that is not JSON is no data', async () => {
    const sample = await sampleGate(gate({ http: { url: `${metrics.url}/html`, path: 'x' }, max: 1 }), {
      vars,
    });
    expect(sample).toEqual({ value: null, error: 'the response is not JSON: <html>' });
  });

  it('never puts the credential headers it sent into the reason, even when the endpoint echoes them', async () => {
    const headers = { 'X-Api-Key': 'k3y-echoed-0123456789', Authorization: 'Bearer t0ken-echoed-987654' };
    const refused = await sampleGate(
      gate({ http: { url: `${metrics.url}/echo-401`, path: 'x', headers }, max: 1 }),
      { vars },
    );
    expect(refused.error).toMatch(/^HTTP 401 from /);
    const notJson = await sampleGate(
      gate({ http: { url: `${metrics.url}/echo-200`, path: 'x', headers }, max: 1 }),
      { vars },
    );
    expect(notJson.error).toMatch(/^the response is not JSON: bad auth: /);
    for (const reason of [refused.error, notJson.error]) {
      expect(reason).not.toContain('k3y-echoed');
      expect(reason).not.toContain('t0ken-echoed');
    }
  });
});

describe('command gate', () => {
  const node = process.execPath;
  const run = (code: string, extra: Record<string, unknown> = {}) =>
    sampleGate(gate({ command: [node, '-e', code], max: 1, ...extra }), { vars }, { killGraceMs: 200 });

  it('reads the last non-empty stdout line', async () => {
    expect(await run('console.log("checking…"); console.log(" 0.25 "); console.log("")')).toEqual({
      value: 0.25,
    });
  });

  it('sees release values and rendered env', async () => {
    expect(
      await run('console.log(process.env.RUNWAY_PERCENT * 2 + Number(process.env.EXTRA))', {
        env: { EXTRA: '{{percent}}' },
      }),
    ).toEqual({
      value: 30,
    });
  });

  it('output that is not a number is no data', async () => {
    expect(await run('console.log("ok")')).toEqual({
      value: null,
      error: `${node} printed "ok", not a number`,
    });
    expect(await run('')).toEqual({
      value: null,
      error: `${node} printed nothing; a command gate prints a number`,
    });
  });

  it('a failing command is no data with its stderr', async () => {
    expect(await run('console.error("no metrics yet"); process.exit(2)')).toEqual({
      value: null,
      error: `${node} failed (exit 2): no metrics yet`,
    });
  });

  it('a missing program is no data', async () => {
    expect(await sampleGate(gate({ command: ['./ops/metric.sh'], max: 1 }), { vars })).toEqual({
      value: null,
      error: 'command not found: ./ops/metric.sh',
    });
  });

  it('a hanging command is killed with its process group', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runway-gate-'));
    try {
      const pidFile = join(dir, 'pid');
      const sample = await sampleGate(
        // 3 s: long enough for node to start and write its grandchild's pid on a loaded machine.
        gate({ command: [node, fixture('spawn-grandchild.mjs'), pidFile], max: 1, timeout: '3s' }),
        { vars },
        { killGraceMs: 200 },
      );
      expect(sample.value).toBeNull();
      expect(sample.error).toBe(`${node} did not finish within 3s, process group killed`);
      expect(await waitFor(() => !isAlive(Number(readFileSync(pidFile, 'utf8'))))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
