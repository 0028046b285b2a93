// The Authorization a prometheus gate sends: its own headers, a bearer token, or basic auth
// (Grafana Cloud, Mimir, Thanos, VictoriaMetrics, a Prometheus behind --web.config.file).
import { CREDENTIAL_HEADER } from '../config/credentials.ts';
import type { PrometheusSource } from '../config/gate-sources.ts';

export function prometheusHeaders(
  source: PrometheusSource,
  rendered: Record<string, string> = {},
): Record<string, string> {
  const headers = { ...rendered };
  if (source.bearer_token !== undefined) headers['Authorization'] = `Bearer ${source.bearer_token}`;
  if (source.basic_auth !== undefined) {
    const { username, password } = source.basic_auth;
    headers['Authorization'] = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  }
  return headers;
}

/** The values that must not reach a reason: the token, the password, credential headers and Authorization. */
export function prometheusCredentials(source: PrometheusSource): string[] {
  const auth = prometheusHeaders(source)['Authorization'];
  return [
    source.bearer_token,
    source.basic_auth?.password,
    auth,
    auth?.replace(/^\w+ /, ''),
    // Credential headers only: a tenant header (X-Scope-OrgID: checkout) is no secret.
    ...Object.entries(source.headers ?? {}).flatMap(([name, value]) =>
      CREDENTIAL_HEADER.test(name) ? [value] : [],
    ),
  ].filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** Does the gate send credentials of its own (so a 401 means they were refused, not missing)? */
export function sendsCredentials(source: PrometheusSource): boolean {
  return (
    source.bearer_token !== undefined ||
    source.basic_auth !== undefined ||
    Object.keys(source.headers ?? {}).length > 0
  );
}
