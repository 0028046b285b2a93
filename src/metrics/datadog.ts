// datadog gate: the metrics query API (GET /api/v1/query) through the official client, over the last
// `window` (the gate's `every` by default); the value is the last non-null point of the one series.
import { client, logger as datadogLogger, v1 } from '@datadog/datadog-api-client';
import type { GateConfig } from '../config/schema.ts';
import { renderTemplate } from '../config/template.ts';
import { snippet } from './gate-request.ts';
import { noData, scrubbed, withDeadline } from './no-data.ts';
import { fromTemplate } from './template-sample.ts';
import type { GateSample, GateSampleContext } from './types.ts';

export type DatadogGate = Extract<GateConfig, { datadog: unknown }>;

// The client's own console logger writes request headers (the keys) when DEBUG is set, and errors
// past our scrubbing logger: it stays silent; every failure comes back to us as the thrown error.
(datadogLogger as { setLevel(level: 'silent'): void }).setLevel('silent');

export async function sampleDatadog(config: DatadogGate, ctx: GateSampleContext): Promise<GateSample> {
  return fromTemplate(async () => {
    const source = config.datadog;
    const query = renderTemplate(source.query, ctx.vars);
    const to = Math.floor((ctx.now?.() ?? new Date()).getTime() / 1000);
    const from = to - Math.max(1, Math.round((source.window ?? config.every) / 1000));
    const sample = await withDeadline(
      'Datadog',
      config.timeout,
      ctx.signal,
      async (signal) => {
        const api = new v1.MetricsApi(datadogConfiguration(source, signal));
        return parseDatadogResponse(await api.queryMetrics({ from, to, query }));
      },
      describeDatadogError,
    );
    return scrubbed(sample, [source.api_key, source.app_key]);
  });
}

function datadogConfiguration(source: DatadogGate['datadog'], signal: AbortSignal): client.Configuration {
  const configuration = client.createConfiguration({
    authMethods: { apiKeyAuth: source.api_key, appKeyAuth: source.app_key },
    httpConfig: { signal },
    // One attempt per sample: the gate samples again at its next `every`.
    enableRetry: false,
    ...(source.url
      ? { baseServer: new client.BaseServerConfiguration(source.url.replace(/\/+$/, ''), {}) }
      : {}),
  });
  if (!source.url) configuration.setServerVariables({ site: source.site });
  return configuration;
}

/** The reply's one series → its last non-null point; several series, none, or only nulls → no data. */
export function parseDatadogResponse(reply: v1.MetricsQueryResponse): GateSample {
  if (reply.status === 'error' || reply.error)
    return noData(`Datadog query failed: ${reply.error ?? reply.message ?? 'no message'}`);
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
  if (error instanceof client.ApiException) {
    const code = (error as client.ApiException<unknown>).code;
    const said = apiErrors((error as client.ApiException<unknown>).body);
    if (code === 401 || code === 403)
      return `Datadog refused the credentials (HTTP ${code}${said ? `: ${said}` : ''}); check api_key and app_key`;
    return `Datadog HTTP ${code}${said ? `: ${said}` : ''}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Datadog unreachable: ${snippet(message)}`;
}

function apiErrors(body: unknown): string {
  if (typeof body === 'string') return snippet(body);
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors)) return snippet(errors.map(String).join('; '));
  return body === undefined || body === null ? '' : snippet(JSON.stringify(body));
}
