// datadog, cloudwatch and newrelic gates through their official clients (or NerdGraph over HTTP),
// against fakes written from each API's docs and wire format, on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleGate } from '../../../src/metrics/sample-gate.ts';
import { startFakeCloudWatch, type FakeCloudWatch } from '../../helpers/fake-cloudwatch.ts';
import { startFakeDatadog, type FakeDatadog } from '../../helpers/fake-datadog.ts';
import { startFakeNewRelic, type FakeNewRelic } from '../../helpers/fake-newrelic.ts';
import { closedPort, startServer } from '../../helpers/http-server.ts';
import { gate, vars } from './support.ts';

const DD_API = 'dd-api-key-0123456789abcdef';
const DD_APP = 'dd-app-key-fedcba9876543210';
const NR_KEY = 'NRAK-TESTKEY0123456789';
const AWS_ID = 'AKIATESTKEYID000';
const AWS_SECRET = 'aws-secret-access-key-for-tests';

let datadog: FakeDatadog;
let cloudwatch: FakeCloudWatch;
let wrongSecret: FakeCloudWatch;
let newrelic: FakeNewRelic;
const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
beforeAll(async () => {
  // The SDK's standard credential chain reads these, as it would on a server.
  process.env['AWS_ACCESS_KEY_ID'] = AWS_ID;
  process.env['AWS_SECRET_ACCESS_KEY'] = AWS_SECRET;
  datadog = await startFakeDatadog(DD_API, DD_APP);
  cloudwatch = await startFakeCloudWatch(AWS_ID, AWS_SECRET, 'eu-west-1');
  wrongSecret = await startFakeCloudWatch(AWS_ID, 'some-other-secret-key', 'eu-west-1');
  newrelic = await startFakeNewRelic(NR_KEY, 1234567);
});
afterAll(async () => {
  await Promise.all([datadog.close(), cloudwatch.close(), wrongSecret.close(), newrelic.close()]);
  process.env['AWS_ACCESS_KEY_ID'] = saved.id;
  process.env['AWS_SECRET_ACCESS_KEY'] = saved.secret;
  if (saved.id === undefined) delete process.env['AWS_ACCESS_KEY_ID'];
  if (saved.secret === undefined) delete process.env['AWS_SECRET_ACCESS_KEY'];
});

const now = Date.now();

describe('datadog gate', () => {
  const ddGate = (query: string, extra: Record<string, unknown> = {}) =>
    gate({
      datadog: { query, api_key: DD_API, app_key: DD_APP, url: datadog.url, ...extra },
      max: 1,
      every: '1m',
      timeout: '2s',
    });
  const series: Record<string, ReturnType<FakeDatadog['series']>> = {
    'avg:trace.http.errors{service:checkout}': [
      {
        points: [
          [now - 40_000, 0.1],
          [now - 20_000, 0.3],
          [now, null],
        ],
      },
    ],
    'avg:none{*}': [],
    'avg:split{*} by {host}': [
      { scope: 'host:a', points: [[now, 1]] },
      { scope: 'host:b', points: [[now, 2]] },
    ],
    'avg:nulls{*}': [{ points: [[now, null]] }],
    'avg:v{version:v1.2.3}': [{ points: [[now, 7]] }],
  };
  beforeAll(() => {
    datadog.series = (q) => series[q] ?? (q === 'bad(' ? 'bad query' : []);
  });

  it('reads the last non-null point over the window, sending both keys', async () => {
    expect(await sampleGate(ddGate('avg:trace.http.errors{service:checkout}'), { vars })).toEqual({
      value: 0.3,
    });
    const request = datadog.server.requests.at(-1)!;
    expect(request.headers['dd-api-key']).toBe(DD_API);
    expect(request.headers['dd-application-key']).toBe(DD_APP);
    const params = new URL(request.path, 'http://x').searchParams;
    // window defaults to `every` (1m).
    expect(Number(params.get('to')) - Number(params.get('from'))).toBe(60);
  });

  it('takes `window` as the range and renders templates in the query', async () => {
    expect(await sampleGate(ddGate('avg:v{version:{{version}}}', { window: '10m' }), { vars })).toEqual({
      value: 7,
    });
    const params = new URL(datadog.server.requests.at(-1)!.path, 'http://x').searchParams;
    expect(Number(params.get('to')) - Number(params.get('from'))).toBe(600);
  });

  it.each([
    ['avg:none{*}', 'no data: the Datadog query returned no series in the window'],
    ['avg:split{*} by {host}', /^Datadog returned 2 series \(host:a, host:b\); a gate needs exactly one/],
    ['avg:nulls{*}', 'no data: every point of the Datadog series in the window is null'],
    ['bad(', 'Datadog HTTP 400: Error parsing query: bad('],
  ])('%s is no data with the reason', async (query, reason) => {
    const sample = await sampleGate(ddGate(query), { vars });
    expect(sample.value).toBeNull();
    expect(sample.error).toMatch(reason);
  });

  it('a refused key is no data that names the credentials, without them', async () => {
    const sample = await sampleGate(ddGate('avg:none{*}', { app_key: 'wrong-app-key-000' }), { vars });
    expect(sample).toEqual({
      value: null,
      error: 'Datadog refused the credentials (HTTP 403: Forbidden); check api_key and app_key',
    });
  });

  it('an unreachable API is no data', async () => {
    const port = await closedPort();
    const sample = await sampleGate(ddGate('avg:none{*}', { url: `http://127.0.0.1:${port}` }), { vars });
    expect(sample.value).toBeNull();
    expect(sample.error).toMatch(/^Datadog unreachable: .*ECONNREFUSED/);
  });

  it.each([
    [503, 'application/json', '{"errors":["Service unavailable"]}', 'Datadog HTTP 503: Service unavailable'],
    [
      502,
      'text/html',
      '<html><body><h1>502 Bad Gateway</h1></body></html>',
      'Datadog HTTP 502: 502 Bad Gateway',
    ],
    [
      401,
      'application/json',
      '{"errors":["Unauthorized"]}',
      'Datadog refused the credentials (HTTP 401: Unauthorized); check api_key and app_key',
    ],
    [
      200,
      'application/json',
      '{"status":"ok","series":{"a":1}}',
      /^Datadog's answer is not a metrics query reply the client can read \(/,
    ],
  ])('HTTP %i (%s) is no data with what the server said', async (status, type, body, reason) => {
    const api = await startServer(
      (_req, res) => void res.writeHead(status, { 'content-type': type }).end(body),
    );
    try {
      const sample = await sampleGate(ddGate('avg:none{*}', { url: api.url }), { vars });
      expect(sample.value).toBeNull();
      expect(sample.error).toMatch(reason);
    } finally {
      await api.close();
    }
  });

  it('a 200 that is not a query reply (a proxy sign-in page) says so, not "no series"', async () => {
    const page = await startServer(
      (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in</html>'),
    );
    try {
      const sample = await sampleGate(ddGate('avg:none{*}', { url: page.url }), { vars });
      expect(sample).toEqual({
        value: null,
        error:
          'Datadog answered with something that is not a metrics query reply (is url or site the Datadog API?)',
      });
    } finally {
      await page.close();
    }
  });
});

describe('cloudwatch gate', () => {
  const cwGate = (source: Record<string, unknown>, endpoint = cloudwatch.url) =>
    gate({ cloudwatch: { region: 'eu-west-1', endpoint, ...source }, max: 1, timeout: '3s' });
  const metric = {
    namespace: 'AWS/ApplicationELB',
    metric: 'HTTPCode_Target_5XX_Count',
    dimensions: { LoadBalancer: 'app/checkout/{{environment}}' },
    stat: 'Sum',
    period: '1m',
  };

  it('reads the newest datapoint of a metric, signed with SigV4 from the standard chain', async () => {
    const t = Math.floor(now / 1000);
    cloudwatch.results = () => [
      {
        points: [
          [t - 120, 0.2],
          [t - 60, 0.4],
          [t - 180, 0.9],
        ],
      },
    ];
    expect(await sampleGate(cwGate(metric), { vars })).toEqual({ value: 0.4 });
    const request = cloudwatch.server.requests.at(-1)!;
    expect(request.headers['authorization']).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${AWS_ID}/\\d{8}/eu-west-1/monitoring/aws4_request, SignedHeaders=.*x-amz-target.*, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(request.headers['x-amz-target']).toBe('GraniteServiceVersion20100801.GetMetricData');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.0');
    const body = cloudwatch.requests.at(-1)!;
    expect(body['ScanBy']).toBe('TimestampDescending');
    expect(body['MetricDataQueries']).toEqual([
      {
        Id: 'gate',
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/ApplicationELB',
            MetricName: 'HTTPCode_Target_5XX_Count',
            Dimensions: [{ Name: 'LoadBalancer', Value: 'app/checkout/production' }],
          },
          Stat: 'Sum',
          Period: 60,
        },
      },
    ]);
    // Five periods back by default.
    expect((body['EndTime'] as number) - (body['StartTime'] as number)).toBeCloseTo(300, 0);
  });

  it('runs a Metrics Insights expression', async () => {
    cloudwatch.results = (q) =>
      typeof q['Expression'] === 'string' ? [{ points: [[Math.floor(now / 1000), 3]] }] : [];
    const expression = 'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId)';
    expect(await sampleGate(cwGate({ expression, period: '5m' }), { vars })).toEqual({ value: 3 });
    expect(cloudwatch.requests.at(-1)!['MetricDataQueries']).toEqual([
      { Id: 'gate', Expression: expression, Period: 300, ReturnData: true },
    ]);
  });

  it('no datapoints, or several series, is no data with the reason', async () => {
    cloudwatch.results = () => [{ points: [] }];
    expect(await sampleGate(cwGate(metric), { vars })).toEqual({
      value: null,
      error: 'no data: the CloudWatch metric has no datapoints in the window',
    });
    cloudwatch.results = () => [
      { label: 'i-1', points: [[1, 1]] },
      { label: 'i-2', points: [[1, 2]] },
    ];
    const two = await sampleGate(cwGate({ expression: 'SELECT AVG(x) FROM y GROUP BY z' }), { vars });
    expect(two.error).toMatch(/^CloudWatch returned 2 series \(i-1, i-2\); a gate needs exactly one/);
  });

  it('a signature the service refuses is no data that names the credentials', async () => {
    const sample = await sampleGate(cwGate(metric, wrongSecret.url), { vars });
    expect(sample.value).toBeNull();
    expect(sample.error).toMatch(
      /^CloudWatch refused the AWS credentials \(\w+, HTTP 400\): The request signature/,
    );
    expect(sample.error).not.toContain(AWS_SECRET);
  });
});

describe('newrelic gate', () => {
  const nrGate = (nrql: string, extra: Record<string, unknown> = {}) =>
    gate({
      newrelic: { account_id: 1234567, api_key: NR_KEY, nrql, url: newrelic.url, ...extra },
      max: 1,
      timeout: '2s',
    });
  const rows: Record<string, unknown[] | 'syntax error'> = {
    "SELECT percentage(count(*), WHERE error IS true) FROM Transaction WHERE appName = 'checkout'": [
      { percentage: 0.42 },
    ],
    'SELECT percentile(duration, 99) FROM Transaction': [{ 'percentile.duration': { '99': 1.5 } }],
    'SELECT count(*) FROM Nothing': [],
    'SELECT average(duration) FROM Idle': [{ 'average.duration': null }],
    'SELECT count(*) FROM Transaction FACET host': [
      { facet: 'a', count: 1 },
      { facet: 'b', count: 2 },
    ],
    SELEC: 'syntax error',
  };
  beforeAll(() => {
    newrelic.results = (nrql) => rows[nrql] ?? [];
  });

  it('reads the one number of the NRQL, with the API-Key header', async () => {
    const nrql =
      "SELECT percentage(count(*), WHERE error IS true) FROM Transaction WHERE appName = '{{service}}'";
    expect(await sampleGate(nrGate(nrql), { vars })).toEqual({ value: 0.42 });
    const request = newrelic.server.requests.at(-1)!;
    expect(request.headers['api-key']).toBe(NR_KEY);
    expect(request.headers['content-type']).toBe('application/json');
    expect(await sampleGate(nrGate('SELECT percentile(duration, 99) FROM Transaction'), { vars })).toEqual({
      value: 1.5,
    });
  });

  it.each([
    ['SELECT count(*) FROM Nothing', 'no data: the NRQL returned no rows'],
    ['SELECT average(duration) FROM Idle', 'no data: average.duration is null (no events in the window?)'],
    ['SELECT count(*) FROM Transaction FACET host', /^the NRQL returned 2 rows; a gate needs one/],
    ['SELEC', 'New Relic NRQL failed: NRQL Syntax Error: SELEC'],
  ])('%s is no data with the reason', async (nrql, reason) => {
    const sample = await sampleGate(nrGate(nrql), { vars });
    expect(sample.value).toBeNull();
    expect(sample.error).toMatch(reason);
  });

  it('a refused key is no data that names it, without the key', async () => {
    const sample = await sampleGate(nrGate('SELECT count(*) FROM Nothing', { api_key: 'NRAK-WRONGKEY999' }), {
      vars,
    });
    expect(sample).toEqual({
      value: null,
      error: 'New Relic refused the API key (HTTP 401: Invalid API key); check api_key and account_id',
    });
  });
});
