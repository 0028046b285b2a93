// cloudwatch gate: GetMetricData through @aws-sdk/client-cloudwatch, for one metric (namespace,
// metric, dimensions, stat, period) or a Metrics Insights expression; the value is the newest
// datapoint (ScanBy TimestampDescending). Credentials come from the SDK's standard chain
// (environment, profile, instance or task role): Runway has no credential code of its own.
import type {
  CloudWatchClient,
  GetMetricDataCommandOutput,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { GateConfig } from '../config/schema.ts';
import { renderDeep } from '../config/template.ts';
import { snippet } from './gate-request.ts';
import { noData, scrubbed, withDeadline } from './no-data.ts';
import { fromTemplate } from './template-sample.ts';
import type { GateSample, GateSampleContext } from './types.ts';

export type CloudwatchGate = Extract<GateConfig, { cloudwatch: unknown }>;
type Source = CloudwatchGate['cloudwatch'];

type Sdk = typeof import('@aws-sdk/client-cloudwatch');
// Loaded on the first cloudwatch sample, so processes without one do not pay for the SDK at start.
let sdk: Promise<Sdk> | undefined;
const loadSdk = (): Promise<Sdk> => (sdk ??= import('@aws-sdk/client-cloudwatch'));

// One client per region and endpoint: each holds its resolved credentials and connection pool.
const clients = new Map<string, CloudWatchClient>();

function clientFor(aws: Sdk, source: Source): CloudWatchClient {
  const key = `${source.region} ${source.endpoint ?? ''}`;
  let found = clients.get(key);
  if (!found) {
    // One attempt per sample: the gate samples again at its next `every`.
    found = new aws.CloudWatchClient({
      region: source.region,
      maxAttempts: 1,
      ...(source.endpoint ? { endpoint: source.endpoint } : {}),
    });
    clients.set(key, found);
  }
  return found;
}

export async function sampleCloudwatch(config: CloudwatchGate, ctx: GateSampleContext): Promise<GateSample> {
  return fromTemplate(async () => {
    const source = renderDeep(config.cloudwatch, ctx.vars);
    const end = ctx.now?.() ?? new Date();
    const start = new Date(end.getTime() - (source.window ?? 5 * source.period));
    // Outside the deadline: the gate's timeout is for CloudWatch, not for loading the SDK.
    const aws = await loadSdk();
    const sample = await withDeadline(
      'CloudWatch',
      config.timeout,
      ctx.signal,
      async (abortSignal) => {
        const output = await clientFor(aws, source).send(
          new aws.GetMetricDataCommand({
            MetricDataQueries: [metricQuery(source)],
            StartTime: start,
            EndTime: end,
            ScanBy: 'TimestampDescending',
            MaxDatapoints: 100,
          }),
          { abortSignal },
        );
        return parseMetricData(output);
      },
      describeCloudwatchError,
    );
    return scrubbed(sample, []);
  });
}

/** The one query of the request: an expression, or a metric with its stat and period (seconds). */
export function metricQuery(source: Source): MetricDataQuery {
  const period = Math.round(source.period / 1000);
  if (source.expression !== undefined)
    return { Id: 'gate', Expression: source.expression, Period: period, ReturnData: true };
  return {
    Id: 'gate',
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: source.namespace,
        MetricName: source.metric,
        Dimensions: Object.entries(source.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
      },
      Stat: source.stat,
      Period: period,
    },
  };
}

/** The newest datapoint of the one result; several results, none, or no datapoints → no data. */
export function parseMetricData(
  output: Pick<GetMetricDataCommandOutput, 'MetricDataResults' | 'Messages'>,
): GateSample {
  const results = output.MetricDataResults ?? [];
  const messages = [...(output.Messages ?? []), ...results.flatMap((r) => r.Messages ?? [])]
    .map((m) => m.Value ?? m.Code)
    .filter((m): m is string => Boolean(m));
  const said = messages.length > 0 ? ` (${snippet(messages.join('; '))})` : '';
  if (results.length === 0) return noData(`no data: CloudWatch returned no results${said}`);
  if (results.length > 1) {
    const labels = results.slice(0, 3).map((r) => r.Label ?? r.Id ?? '?');
    return noData(
      `CloudWatch returned ${results.length} series (${labels.join(', ')}${results.length > 3 ? ', …' : ''}); a gate needs exactly one (drop GROUP BY, or aggregate)`,
    );
  }
  const [result] = results;
  if (result?.StatusCode === 'Forbidden' || result?.StatusCode === 'InternalError')
    return noData(`CloudWatch could not read the metric (${result.StatusCode})${said}`);
  const values = result?.Values ?? [];
  const times = result?.Timestamps ?? [];
  // Newest first with TimestampDescending; picked by timestamp anyway, should a proxy reorder them.
  let newest: { at: number; value: number } | undefined;
  for (const [i, value] of values.entries()) {
    const time = times[i];
    const at = time ? new Date(time).getTime() : -i;
    if (Number.isFinite(value) && (newest === undefined || at > newest.at)) newest = { at, value };
  }
  if (newest === undefined)
    return noData(`no data: the CloudWatch metric has no datapoints in the window${said}`);
  return { value: newest.value };
}

/** SDK errors in words; an authentication or permission failure says so. */
export function describeCloudwatchError(error: unknown): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? 'Error';
  const message = snippet(e?.message ?? String(error));
  if (name === 'CredentialsProviderError')
    return `no AWS credentials for CloudWatch (environment, profile or instance role): ${message}`;
  const status = e?.$metadata?.httpStatusCode;
  const auth =
    status === 401 ||
    status === 403 ||
    /^(AccessDenied|UnrecognizedClient|InvalidClientTokenId|InvalidSignature|ExpiredToken|SignatureDoesNotMatch|MissingAuthenticationToken)/.test(
      name,
    );
  if (auth)
    return `CloudWatch refused the AWS credentials (${name}${status ? `, HTTP ${status}` : ''}): ${message}`;
  if (status) return `CloudWatch ${name} (HTTP ${status}): ${message}`;
  return `CloudWatch unreachable: ${name}: ${message}`;
}
