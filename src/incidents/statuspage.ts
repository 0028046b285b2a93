// Atlassian Statuspage REST API v1 calls for an incident: open (POST /pages/{page}/incidents), post
// an update or resolve (PATCH /pages/{page}/incidents/{id}), and find an incident Runway opened before
// (GET …/incidents/unresolved, by its metadata), so a retried open after a lost reply opens nothing
// twice. `Authorization: OAuth <api key>`. Never throws; no outcome holds the key.
import { displayUrl, httpAttempt } from '../actions/http-attempt.ts';
import { isRetryableStatus } from '../actions/http-retry.ts';
import { scrubberFor } from '../actions/scrub.ts';
import type { StatuspageConfig } from '../config/statuspage-schema.ts';
import type { Severity } from '../release/types.ts';

export type StatuspageOutcome<T> =
  { ok: true; value: T } | { ok: false; summary: string; retryable: boolean };

export interface StatuspageIncident {
  id: string;
  shortlink?: string;
  status?: string;
}

type ComponentStatus = 'major_outage' | 'partial_outage' | 'operational';

const TIMEOUT_MS = 15_000;

/** The body of the incident Runway opens: investigating, its impact, its components down. */
export function openBody(
  config: StatuspageConfig,
  incident: { id: string; title: string; severity: Severity },
): Record<string, unknown> {
  const down: ComponentStatus = incident.severity === 'sev1' ? 'major_outage' : 'partial_outage';
  return {
    incident: {
      name: incident.title,
      status: 'investigating',
      impact_override: incident.severity === 'sev1' ? 'critical' : 'major',
      body: 'We are investigating this issue.',
      component_ids: config.components,
      components: componentMap(config.components, down),
      metadata: { runway: { incident_id: incident.id } },
      deliver_notifications: true,
    },
  };
}

export function updateBody(text: string): Record<string, unknown> {
  return { incident: { body: publicText(text) } };
}

export function resolveBody(config: StatuspageConfig, summary?: string): Record<string, unknown> {
  return {
    incident: {
      status: 'resolved',
      body: summary ? publicText(summary) : 'This incident has been resolved.',
      component_ids: config.components,
      components: componentMap(config.components, 'operational'),
    },
  };
}

function componentMap(ids: readonly string[], status: ComponentStatus): Record<string, ComponentStatus> {
  return Object.fromEntries(ids.map((id) => [id, status]));
}

/** Slack markup read as plain text for a public page: links keep their label, mentions go. */
export function publicText(text: string): string {
  return text
    .replace(/<(?:https?|mailto):[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<((?:https?|mailto):[^>]*)>/g, '$1')
    .replace(/<[@#!][^>]*>/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim()
    .slice(0, 5000);
}

export async function createIncident(
  config: StatuspageConfig,
  incident: { id: string; title: string; severity: Severity },
): Promise<StatuspageOutcome<StatuspageIncident>> {
  return call(config, 'POST', '/incidents', openBody(config, incident));
}

export async function patchIncident(
  config: StatuspageConfig,
  statuspageId: string,
  body: Record<string, unknown>,
): Promise<StatuspageOutcome<StatuspageIncident>> {
  return call(config, 'PATCH', `/incidents/${encodeURIComponent(statuspageId)}`, body);
}

/** The unresolved incident Runway opened for `incidentId`, if a lost reply hid it from us. */
export async function findOpened(
  config: StatuspageConfig,
  incidentId: string,
): Promise<StatuspageOutcome<StatuspageIncident | null>> {
  const listed = await call<unknown>(config, 'GET', '/incidents/unresolved');
  if (!listed.ok) return listed;
  const list = Array.isArray(listed.value) ? (listed.value as Record<string, unknown>[]) : [];
  const found = list.find(
    (i) =>
      (i['metadata'] as { runway?: { incident_id?: unknown } } | undefined)?.runway?.incident_id ===
      incidentId,
  );
  return {
    ok: true,
    value: found && typeof found['id'] === 'string' ? (found as unknown as StatuspageIncident) : null,
  };
}

async function call<T = StatuspageIncident>(
  config: StatuspageConfig,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
): Promise<StatuspageOutcome<T>> {
  const url = `${config.api_url.replace(/\/+$/, '')}/pages/${encodeURIComponent(config.page_id)}${path}`;
  const scrub = scrubberFor(config.api_key);
  const result = await httpAttempt({
    method,
    url,
    headers: {
      Authorization: `OAuth ${config.api_key}`,
      Accept: 'application/json',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body ? { body: Buffer.from(JSON.stringify(body), 'utf8') } : {}),
    timeoutMs: TIMEOUT_MS,
  });
  if (result.kind === 'aborted') return { ok: false, summary: 'cancelled', retryable: true };
  if (result.kind === 'error')
    return {
      ok: false,
      summary: scrub(`Statuspage unreachable at ${displayUrl(url)}: ${result.reason}`),
      retryable: result.retryable,
    };
  if (result.status >= 200 && result.status < 300) {
    try {
      return { ok: true, value: JSON.parse(result.body) as T };
    } catch {
      return {
        ok: false,
        summary: `Statuspage answered HTTP ${result.status} with no JSON`,
        retryable: true,
      };
    }
  }
  const said = errorText(result.body);
  const auth = result.status === 401 || result.status === 403;
  return {
    ok: false,
    summary: scrub(
      auth
        ? `Statuspage refused the API key (HTTP ${result.status}${said ? `: ${said}` : ''}); check incidents.statuspage.api_key and page_id`
        : `Statuspage HTTP ${result.status}${said ? `: ${said}` : ''}`,
    ),
    // 420 is Statuspage's own "slow down".
    retryable: isRetryableStatus(result.status) || result.status === 420,
  };
}

function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    const error = parsed.error ?? parsed.message;
    const text = Array.isArray(error) ? error.join('; ') : String(error ?? '');
    return text.slice(0, 200);
  } catch {
    return body.trim().split('\n')[0]?.slice(0, 200) ?? '';
  }
}
