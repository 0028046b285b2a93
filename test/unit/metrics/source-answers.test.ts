// Each gate source's answer → a value, or no data with the reason (pure parsers, no network).
import { describe, expect, it } from 'vitest';
import type { v1 } from '@datadog/datadog-api-client';
import { describeCloudwatchError, metricQuery, parseMetricData } from '../../../src/metrics/cloudwatch.ts';
import { parseDatadogResponse } from '../../../src/metrics/datadog.ts';
import { nrqlValue, parseNerdGraphResponse } from '../../../src/metrics/newrelic.ts';
import { authFailure } from '../../../src/metrics/prometheus.ts';
import { prometheusCredentials, prometheusHeaders } from '../../../src/metrics/prometheus-auth.ts';
import { cloudwatchSourceSchema, prometheusSourceSchema } from '../../../src/config/gate-sources.ts';
import type { GateSample } from '../../../src/metrics/types.ts';

type Row<T> = [string, T, number | null, string | RegExp | null];
const check = (sample: GateSample, value: number | null, reason: string | RegExp | null) => {
  expect(sample.value).toBe(value);
  if (reason === null) expect(sample.error).toBeUndefined();
  else expect(sample.error).toMatch(reason);
};

describe('datadog answers', () => {
  const series = (...pointlists: unknown[][]) =>
    ({
      status: 'ok',
      series: pointlists.map((pointlist, i) => ({ pointlist, scope: `host:${i}` })),
    }) as v1.MetricsQueryResponse;
  const rows: Row<v1.MetricsQueryResponse>[] = [
    [
      'one series',
      series([
        [1, 0.1],
        [2, 0.2],
      ]),
      0.2,
      null,
    ],
    [
      'trailing nulls skipped',
      series([
        [1, 0.1],
        [2, 0.3],
        [3, null],
        [4, null],
      ]),
      0.3,
      null,
    ],
    [
      'a zero is a value',
      series([
        [1, 5],
        [2, 0],
      ]),
      0,
      null,
    ],
    ['no series', series(), null, 'no data: the Datadog query returned no series in the window'],
    ['two series', series([[1, 1]], [[1, 2]]), null, /^Datadog returned 2 series \(host:0, host:1\)/],
    ['no points', series([]), null, 'no data: the Datadog series has no points in the window'],
    [
      'only nulls',
      series([[1, null]]),
      null,
      'no data: every point of the Datadog series in the window is null',
    ],
    [
      'an error status',
      {
        status: 'error',
        error: 'Rate limit of 300 requests in 3600 seconds reached',
      } as v1.MetricsQueryResponse,
      null,
      'Datadog query failed: Rate limit of 300 requests in 3600 seconds reached',
    ],
    [
      'not a query reply',
      {} as v1.MetricsQueryResponse,
      null,
      /^Datadog answered with something that is not a metrics query reply/,
    ],
  ];
  it.each(rows)('%s', (_name, reply, value, reason) => check(parseDatadogResponse(reply), value, reason));
});

describe('cloudwatch answers', () => {
  const at = (s: number) => new Date(s * 1000);
  const rows: Row<Parameters<typeof parseMetricData>[0]>[] = [
    [
      'newest first',
      { MetricDataResults: [{ Id: 'gate', Timestamps: [at(300), at(240)], Values: [4, 2] }] },
      4,
      null,
    ],
    [
      'newest by time whatever the order',
      { MetricDataResults: [{ Id: 'gate', Timestamps: [at(100), at(300), at(200)], Values: [1, 3, 2] }] },
      3,
      null,
    ],
    [
      'no datapoints',
      { MetricDataResults: [{ Id: 'gate', Timestamps: [], Values: [] }] },
      null,
      'no data: the CloudWatch metric has no datapoints in the window',
    ],
    ['no results', { MetricDataResults: [] }, null, 'no data: CloudWatch returned no results'],
    [
      'two results',
      {
        MetricDataResults: [
          { Id: 'a', Label: 'i-1' },
          { Id: 'b', Label: 'i-2' },
        ],
      },
      null,
      /^CloudWatch returned 2 series \(i-1, i-2\)/,
    ],
    [
      'messages are kept',
      {
        MetricDataResults: [
          {
            Id: 'gate',
            Values: [],
            Messages: [{ Code: 'MaxQueryTimeRangeExceed', Value: 'The query time range exceeds the limit' }],
          },
        ],
      },
      null,
      /no datapoints in the window \(The query time range exceeds the limit\)$/,
    ],
    [
      'forbidden',
      { MetricDataResults: [{ Id: 'gate', StatusCode: 'Forbidden', Values: [] }] },
      null,
      /^CloudWatch could not read the metric \(Forbidden\)/,
    ],
  ];
  it.each(rows)('%s', (_name, reply, value, reason) => check(parseMetricData(reply), value, reason));

  it.each([
    [
      {
        name: 'InvalidClientTokenId',
        message: 'The security token included in the request is invalid.',
        $metadata: { httpStatusCode: 403 },
      },
      /^CloudWatch refused the AWS credentials \(InvalidClientTokenId, HTTP 403\)/,
    ],
    [
      {
        name: 'AccessDenied',
        message: 'not authorized to perform: cloudwatch:GetMetricData',
        $metadata: { httpStatusCode: 403 },
      },
      /^CloudWatch refused the AWS credentials \(AccessDenied/,
    ],
    [
      { name: 'CredentialsProviderError', message: 'Could not load credentials from any providers' },
      /^no AWS credentials for CloudWatch/,
    ],
    [
      { name: 'InvalidParameterValue', message: 'bad period', $metadata: { httpStatusCode: 400 } },
      'CloudWatch InvalidParameterValue (HTTP 400): bad period',
    ],
    [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'Error' }),
      /^CloudWatch unreachable: Error: connect ECONNREFUSED/,
    ],
  ])('error %# in words', (error, reason) => expect(describeCloudwatchError(error)).toMatch(reason));

  it('builds a metric query with its dimensions and period in seconds', () => {
    const source = cloudwatchSourceSchema.parse({
      region: 'us-east-1',
      namespace: 'AWS/SQS',
      metric: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: 'orders' },
      stat: 'Maximum',
      period: '5m',
    });
    expect(metricQuery(source)).toEqual({
      Id: 'gate',
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateAgeOfOldestMessage',
          Dimensions: [{ Name: 'QueueName', Value: 'orders' }],
        },
        Stat: 'Maximum',
        Period: 300,
      },
    });
  });
});

describe('newrelic answers', () => {
  const rows: Row<unknown[]>[] = [
    ['count', [{ count: 12 }], 12, null],
    ['percentage', [{ percentage: 0.5 }], 0.5, null],
    ['percentile (nested)', [{ 'percentile.duration': { '99': 0.75 } }], 0.75, null],
    ['timeseries bounds are not readings', [{ beginTimeSeconds: 1, endTimeSeconds: 2, count: 3 }], 3, null],
    ['no rows', [], null, 'no data: the NRQL returned no rows'],
    [
      'facets',
      [
        { facet: 'a', count: 1 },
        { facet: 'b', count: 2 },
      ],
      null,
      /^the NRQL returned 2 rows/,
    ],
    [
      'two functions',
      [{ count: 1, 'average.duration': 2 }],
      null,
      /^the NRQL returned 2 values \(count, average\.duration\)/,
    ],
    [
      'null',
      [{ 'average.duration': null }],
      null,
      'no data: average.duration is null (no events in the window?)',
    ],
    ['a string', [{ latest: 'v1.2.3' }], null, 'latest is "v1.2.3", not a number'],
  ];
  it.each(rows)('%s', (_name, results, value, reason) => check(nrqlValue(results), value, reason));

  it.each([
    [200, { data: { actor: { account: { nrql: { results: [{ count: 1 }] } } } } }, 1, null],
    [
      401,
      { errors: [{ message: 'Invalid API key', extensions: { errorClass: 'UNAUTHORIZED' } }] },
      null,
      /^New Relic refused the API key \(HTTP 401: Invalid API key\)/,
    ],
    [
      200,
      { errors: [{ message: 'Unauthorized', extensions: { errorClass: 'UNAUTHORIZED' } }] },
      null,
      /^New Relic refused the API key \(HTTP 200/,
    ],
    [
      200,
      { data: null, errors: [{ message: 'NRQL Syntax Error: Error at line 1' }] },
      null,
      'New Relic NRQL failed: NRQL Syntax Error: Error at line 1',
    ],
    [
      200,
      { data: { actor: { account: null } } },
      null,
      /no actor\.account\.nrql\.results \(is account_id right\?\)/,
    ],
    [502, '<html>Bad gateway</html>', null, 'New Relic HTTP 502, not JSON: <html>Bad gateway</html>'],
  ] as [number, unknown, number | null, string | RegExp | null][])(
    'HTTP %s reply',
    (status, body, value, reason) =>
      check(
        parseNerdGraphResponse(status, typeof body === 'string' ? body : JSON.stringify(body)),
        value,
        reason,
      ),
  );
});

describe('prometheus authentication', () => {
  const parse = (raw: Record<string, unknown>) =>
    prometheusSourceSchema.parse({ url: 'http://p:9090', query: 'up', ...raw });

  it.each([
    [
      { basic_auth: { username: 'runway', password: 'pa:ss' } },
      `Basic ${Buffer.from('runway:pa:ss').toString('base64')}`,
    ],
    [{ bearer_token: 'glc_abc' }, 'Bearer glc_abc'],
    [{ headers: { Authorization: 'Token xyz' } }, 'Token xyz'],
    [{}, undefined],
  ])('%j sends Authorization %s', (raw, expected) => {
    const source = parse(raw);
    expect(prometheusHeaders(source, source.headers)['Authorization']).toBe(expected);
  });

  it('keeps other headers (a Mimir tenant) beside the credentials', () => {
    expect(prometheusHeaders(parse({ bearer_token: 'tok1' }), { 'X-Scope-OrgID': 'team-a' })).toEqual({
      'X-Scope-OrgID': 'team-a',
      Authorization: 'Bearer tok1',
    });
  });

  it('names every form of the credential for scrubbing', () => {
    const creds = prometheusCredentials(parse({ basic_auth: { username: 'runway', password: 'hunter22' } }));
    expect(creds).toEqual(
      expect.arrayContaining(['hunter22', Buffer.from('runway:hunter22').toString('base64')]),
    );
  });

  it.each([
    [
      401,
      false,
      'Unauthorized\n',
      'Prometheus needs authentication (HTTP 401: Unauthorized); give the gate basic_auth, bearer_token or headers',
    ],
    [
      403,
      true,
      '',
      "Prometheus refused the gate's credentials (HTTP 403); check basic_auth, bearer_token or headers",
    ],
  ] as const)('HTTP %s (credentials sent: %s)', (status, sent, body, reason) => {
    expect(authFailure(status, sent, body)).toBe(reason);
  });
});
