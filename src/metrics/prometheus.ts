// Prometheus gate: an instant query (GET /api/v1/query) that must give exactly one number.
import type { GateConfig } from '../config/schema.ts';
import { renderDeep } from '../config/template.ts';
import { gateGet, snippet } from './gate-request.ts';
import { noData, scrubbed } from './no-data.ts';
import { prometheusCredentials, prometheusHeaders, sendsCredentials } from './prometheus-auth.ts';
import { fromTemplate } from './template-sample.ts';
import type { GateSample, GateSampleContext } from './types.ts';

export type PrometheusGate = Extract<GateConfig, { prometheus: unknown }>;

export async function samplePrometheus(config: PrometheusGate, ctx: GateSampleContext): Promise<GateSample> {
  return fromTemplate(async () => {
    const source = config.prometheus;
    // Credentials are not templates: a password may hold "{{".
    const { url, query, headers } = renderDeep(
      { url: source.url, query: source.query, headers: source.headers },
      ctx.vars,
    );
    const endpoint = `${url.replace(/\/+$/, '')}/api/v1/query?${new URLSearchParams({ query })}`;
    const sent = prometheusHeaders(source, headers);
    const fetched = await gateGet('Prometheus', endpoint, sent, config.timeout, ctx.signal);
    const credentials = prometheusCredentials(source);
    if (!fetched.ok) return scrubbed(noData(fetched.error), credentials);
    if (fetched.status === 401 || fetched.status === 403) {
      return scrubbed(
        noData(authFailure(fetched.status, sendsCredentials(source), fetched.body)),
        credentials,
      );
    }
    return scrubbed(parsePrometheusResponse(fetched.status, fetched.body), credentials);
  });
}

/** A 401/403 names the authentication, the part of the gate people must fix. */
export function authFailure(status: number, sentCredentials: boolean, body: string): string {
  const said = snippet(body, 120);
  return sentCredentials
    ? `Prometheus refused the gate's credentials (HTTP ${status}${said ? `: ${said}` : ''}); check basic_auth, bearer_token or headers`
    : `Prometheus needs authentication (HTTP ${status}${said ? `: ${said}` : ''}); give the gate basic_auth, bearer_token or headers`;
}

/** Read a Prometheus HTTP API reply into a gate sample. */
export function parsePrometheusResponse(httpStatus: number, body: string): GateSample {
  let reply: unknown;
  try {
    reply = JSON.parse(body);
  } catch {
    return {
      value: null,
      error:
        httpStatus === 200
          ? 'Prometheus answered with something that is not JSON (is the url the Prometheus server?)'
          : `Prometheus HTTP ${httpStatus}: ${snippet(body)}`,
    };
  }
  const r = (typeof reply === 'object' && reply !== null ? reply : {}) as Record<string, unknown>;
  if (r.status === 'error') {
    return {
      value: null,
      error: `Prometheus query failed (${String(r.errorType ?? 'error')}): ${String(r.error ?? 'no message')}`,
    };
  }
  if (httpStatus < 200 || httpStatus >= 300)
    return { value: null, error: `Prometheus HTTP ${httpStatus}: ${snippet(body)}` };
  if (r.status !== 'success' || typeof r.data !== 'object' || r.data === null) {
    return { value: null, error: 'Prometheus reply has no data (is the url the Prometheus server?)' };
  }
  const data = r.data as { resultType?: unknown; result?: unknown };

  switch (data.resultType) {
    case 'scalar':
      return sampleValue(data.result);
    case 'vector': {
      const series = Array.isArray(data.result) ? data.result : [];
      if (series.length === 0) return { value: null, error: 'no data: the query returned an empty vector' };
      if (series.length > 1) {
        return {
          value: null,
          error: `Prometheus returned ${series.length} series; a gate needs exactly one (aggregate with sum(), max() …)`,
        };
      }
      const [sample] = series as { value?: unknown }[];
      return sampleValue(sample?.value);
    }
    case 'matrix':
      return {
        value: null,
        error:
          'the query returned a range vector; a gate needs an instant value (drop the [range] or wrap it in a function)',
      };
    default:
      return {
        value: null,
        error: `Prometheus returned a ${String(data.resultType)} result; a gate needs a number`,
      };
  }
}

/** A [timestamp, "value"] pair; the value is a string in the API and may be NaN or ±Inf. */
function sampleValue(pair: unknown): GateSample {
  const raw = Array.isArray(pair) ? pair[1] : undefined;
  if (typeof raw !== 'string') return { value: null, error: 'Prometheus sample has no value' };
  if (raw === 'NaN')
    return { value: null, error: 'the query returned NaN (often 0/0: no requests in the window)' };
  const value = Number(raw);
  if (!Number.isFinite(value))
    return { value: null, error: `the query returned ${raw} (a division by zero?)` };
  return { value };
}
