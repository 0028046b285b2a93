// datadog gate: the metrics query API (GET /api/v1/query) through the official client, over the last
// `window` (the gate's `every` by default); the value is the last non-null point of the one series.
import type { client, v1 } from '@datadog/datadog-api-client';
import type { GateConfig } from '../config/schema.ts';
import { renderTemplate } from '../config/template.ts';
import { snippet } from './gate-request.ts';
import { noData, scrubbed, withDeadline } from './no-data.ts';
import { fromTemplate } from './template-sample.ts';
import type { GateSample, GateSampleContext } from './types.ts';

export type DatadogGate = Extract<GateConfig, { datadog: unknown }>;

const DIST = '@datadog/datadog-api-client/dist';

// Loaded on the first datadog sample, and only the parts a metrics query needs: the package's
// index loads every v1 and v2 model (tens of seconds on a busy machine), which would hold up the
// start of every process, Datadog user or not.
let loading: Promise<{ common: typeof client; MetricsApi: typeof v1.MetricsApi }> | undefined;
function loadDatadog() {
  loading ??= (async () => {
    const [common, metrics, log] = await Promise.all([
      import(`${DIST}/packages/datadog-api-client-common/index.js`) as Promise<typeof client>,
      import(`${DIST}/packages/datadog-api-client-v1/apis/MetricsApi.js`) as Promise<{
        MetricsApi: typeof v1.MetricsApi;
      }>,
      import(`${DIST}/logger.js`) as Promise<{ logger: { setLevel(level: 'silent'): void } }>,
    ]);
    // The client's console logger writes request headers (the keys) when DEBUG is set, and errors
    // past our scrubbing logger: it stays silent; every failure comes back as the thrown error.
    log.logger.setLevel('silent');
    return { common, MetricsApi: metrics.MetricsApi };
  })();
  return loading;
}

export async function sampleDatadog(config: DatadogGate, ctx: GateSampleContext): Promise<GateSample> {
  return fromTemplate(async () => {
    const source = config.datadog;
    const query = renderTemplate(source.query, ctx.vars);
    const to = Math.floor((ctx.now?.() ?? new Date()).getTime() / 1000);
    const from = to - Math.max(1, Math.round((source.window ?? config.every) / 1000));
    // Outside the deadline: the gate's timeout is for Datadog, not for loading our own code.
    const { common, MetricsApi } = await loadDatadog();
    const sample = await withDeadline(
      'Datadog',
      config.timeout,
      ctx.signal,
      async (signal) => {
        const api = new MetricsApi(datadogConfiguration(common, source, signal));
        return parseDatadogResponse(await api.queryMetrics({ from, to, query }));
      },
      describeDatadogError,
    );
    return scrubbed(sample, [source.api_key, source.app_key]);
  });
}

function datadogConfiguration(
  common: typeof client,
  source: DatadogGate['datadog'],
  signal: AbortSignal,
): client.Configuration {
  const configuration = common.createConfiguration({
    authMethods: { apiKeyAuth: source.api_key, appKeyAuth: source.app_key },
    httpConfig: { signal },
    // One attempt per sample: the gate samples again at its next `every`.
    enableRetry: false,
    ...(source.url
      ? { baseServer: new common.BaseServerConfiguration(source.url.replace(/\/+$/, ''), {}) }
      : {}),
  });
  if (!source.url) configuration.setServerVariables({ site: source.site });
  return configuration;
}

/** The reply's one series → its last non-null point; several series, none, or only nulls → no data. */
export function parseDatadogResponse(reply: v1.MetricsQueryResponse): GateSample {
  if (reply.status === 'error' || reply.error)
    return noData(`Datadog query failed: ${reply.error ?? reply.message ?? 'no message'}`);
  // A proxy's sign-in page or another API answers 200 too: neither a status nor series is no query reply.
  if (reply.series === undefined && reply.status !== 'ok')
    return noData(
      'Datadog answered with something that is not a metrics query reply (is url or site the Datadog API?)',
    );
  const series = reply.series ?? [];
  if (series.length === 0) return noData('no data: the Datadog query returned no series in the window');
  if (series.length > 1) {
    const scopes = series.slice(0, 3).map((s) => s.scope ?? s.expression ?? '?');
    return noData(
      `Datadog returned ${series.length} series (${scopes.join(', ')}${series.length > 3 ? ', …' : ''}); a gate needs exactly one (aggregate it, e.g. sum:… without "by {…}")`,
    );
  }
  const points = (series[0]?.pointlist ?? []) as unknown[];
  for (let i = points.length - 1; i >= 0; i--) {
    const point = points[i];
    const value: unknown = Array.isArray(point) ? point[1] : undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return { value };
  }
  return noData(
    points.length === 0
      ? 'no data: the Datadog series has no points in the window'
      : 'no data: every point of the Datadog series in the window is null',
  );
}

/** A thrown ApiException (HTTP status, errors list) or a transport error, in words. */
export function describeDatadogError(error: unknown): string {
  // By shape, not instanceof: the class is in the lazily loaded client.
  const apiError = error as Partial<client.ApiException<unknown>> | null;
  if (error instanceof Error && typeof apiError?.code === 'number' && 'body' in error) {
    const code = apiError.code;
    const said = apiErrors(apiError.body);
    if (code === 401 || code === 403)
      return `Datadog refused the credentials (HTTP ${code}${said ? `: ${said}` : ''}); check api_key and app_key`;
    return `Datadog HTTP ${code}${said ? `: ${said}` : ''}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  // The client's deserializer throws these on a 200 it cannot read: Datadog did answer.
  if (UNREADABLE_REPLY.test(message))
    return `Datadog's answer is not a metrics query reply the client can read (${snippet(message)})`;
  return `Datadog unreachable: ${snippet(message)}`;
}

const UNREADABLE_REPLY =
  /^(mismatch types|unknown type|unknown enum value|missing required property|found extra attributes|unexpected attribute|additionalProperties found|None of the given media types|The mediaType)/;

/** The client wraps a reply to a status it does not declare (5xx, 401) as text around the body. */
const UNDECLARED = /^Unknown API Status Code!\nBody: "([\s\S]*)"$/;

function apiErrors(body: unknown): string {
  if (typeof body === 'string') {
    const inner = UNDECLARED.exec(body)?.[1];
    if (inner === undefined) return snippet(body);
    try {
      return apiErrors(JSON.parse(inner) as unknown);
    } catch {
      return snippet(inner.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' '));
    }
  }
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors)) return snippet(errors.map(String).join('; '));
  return body === undefined || body === null ? '' : snippet(JSON.stringify(body));
}
