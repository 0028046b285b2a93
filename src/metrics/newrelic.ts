// newrelic gate: an NRQL query through NerdGraph (POST /graphql with the API-Key header); the value
// is the single number the NRQL returns (`SELECT percentage(…) FROM Transaction SINCE 5 minutes ago`).
import { displayUrl, httpAttempt } from '../actions/http-attempt.ts';
import { formatDuration } from '../config/duration.ts';
import type { GateConfig } from '../config/schema.ts';
import { renderTemplate } from '../config/template.ts';
import { snippet } from './gate-request.ts';
import { noData, scrubbed } from './no-data.ts';
import { fromTemplate } from './template-sample.ts';
import type { GateSample, GateSampleContext } from './types.ts';

export type NewrelicGate = Extract<GateConfig, { newrelic: unknown }>;

const API_BASE = { us: 'https://api.newrelic.com', eu: 'https://api.eu.newrelic.com' } as const;

// Variables, not string building: the NRQL needs no GraphQL escaping.
export const NRQL_QUERY =
  'query RunwayGate($accountId: Int!, $nrql: Nrql!) { actor { account(id: $accountId) { nrql(query: $nrql) { results } } } }';

export async function sampleNewrelic(config: NewrelicGate, ctx: GateSampleContext): Promise<GateSample> {
  return fromTemplate(async () => {
    const source = config.newrelic;
    const nrql = renderTemplate(source.nrql, ctx.vars);
    const url = `${(source.url ?? API_BASE[source.region]).replace(/\/+$/, '')}/graphql`;
    const body = JSON.stringify({ query: NRQL_QUERY, variables: { accountId: source.account_id, nrql } });
    const result = await httpAttempt({
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'API-Key': source.api_key },
      body: Buffer.from(body, 'utf8'),
      timeoutMs: config.timeout,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const sample =
      result.kind === 'aborted'
        ? noData('cancelled')
        : result.kind === 'error'
          ? noData(
              result.reason.startsWith('timed out')
                ? `New Relic did not answer within ${formatDuration(config.timeout)} (${displayUrl(url)})`
                : `New Relic unreachable at ${displayUrl(url)}: ${result.reason}`,
            )
          : parseNerdGraphResponse(result.status, result.body);
    return scrubbed(sample, [source.api_key]);
  });
}

/** A NerdGraph reply (HTTP status and body) → the one number of the NRQL's one row. */
export function parseNerdGraphResponse(status: number, body: string): GateSample {
  let reply: { data?: unknown; errors?: { message?: unknown; extensions?: { errorClass?: unknown } }[] };
  try {
    reply = JSON.parse(body) as typeof reply;
  } catch {
    return noData(`New Relic HTTP ${status}, not JSON: ${snippet(body, 120)}`);
  }
  const errors = Array.isArray(reply?.errors) ? reply.errors : [];
  const said = errors.map((e) => String(e?.message ?? e?.extensions?.errorClass ?? 'error')).join('; ');
  const unauthorized =
    status === 401 || status === 403 || errors.some((e) => e?.extensions?.errorClass === 'UNAUTHORIZED');
  if (unauthorized)
    return noData(
      `New Relic refused the API key (HTTP ${status}${said ? `: ${snippet(said)}` : ''}); check api_key and account_id`,
    );
  if (status < 200 || status >= 300) return noData(`New Relic HTTP ${status}: ${snippet(said || body)}`);
  if (errors.length > 0) return noData(`New Relic NRQL failed: ${snippet(said)}`);
  const results = (reply.data as { actor?: { account?: { nrql?: { results?: unknown } } } } | undefined)
    ?.actor?.account?.nrql?.results;
  if (!Array.isArray(results))
    return noData('New Relic reply has no actor.account.nrql.results (is account_id right?)');
  return nrqlValue(results);
}

// Columns NRQL adds to TIMESERIES and COMPARE WITH rows that are not the reading.
const NOT_READINGS = new Set(['beginTimeSeconds', 'endTimeSeconds', 'comparison', 'facet', 'timestamp']);

/** One row with one number (nested one level for percentile(): {"percentile.duration": {"99": 0.4}}). */
export function nrqlValue(results: unknown[]): GateSample {
  if (results.length === 0) return noData('no data: the NRQL returned no rows');
  if (results.length > 1)
    return noData(`the NRQL returned ${results.length} rows; a gate needs one (drop FACET or TIMESERIES)`);
  const row = results[0];
  if (typeof row !== 'object' || row === null) return noData('the NRQL row is not an object');
  const readings: [string, unknown][] = [];
  for (const [key, value] of Object.entries(row)) {
    if (NOT_READINGS.has(key)) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      readings.push(...Object.entries(value).map(([k, v]): [string, unknown] => [`${key}.${k}`, v]));
    else readings.push([key, value]);
  }
  if (readings.length !== 1) {
    return noData(
      readings.length === 0
        ? 'no data: the NRQL row has no value'
        : `the NRQL returned ${readings.length} values (${readings.map(([k]) => k).join(', ')}); a gate needs one`,
    );
  }
  const [key, value] = readings[0]!;
  if (value === null) return noData(`no data: ${key} is null (no events in the window?)`);
  if (typeof value !== 'number' || !Number.isFinite(value))
    return noData(`${key} is ${snippet(JSON.stringify(value) ?? 'undefined', 80)}, not a number`);
  return { value };
}
