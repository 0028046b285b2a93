// A fake Atlassian Statuspage REST API v1, written from its reference (developer.statuspage.io):
//   Authorization: OAuth <api key>  (401 { error: "Could not authenticate" } otherwise)
//   POST  /v1/pages/{page_id}/incidents        { incident: { name, status, impact_override, body,
//         component_ids, components: { <id>: major_outage|partial_outage|… }, metadata } } → 201 incident
//   PATCH /v1/pages/{page_id}/incidents/{id}   { incident: { status?, body?, components? } } → 200 incident;
//         a body adds an incident update
//   GET   /v1/pages/{page_id}/incidents/unresolved → 200 [incident]
//   422 { error: "…" } for an invalid status or impact; 404 for an unknown page or incident.
import { randomBytes } from 'node:crypto';
import { sendJson, startServer, type TestServer } from './http-server.ts';

const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'];
const IMPACTS = ['none', 'maintenance', 'minor', 'major', 'critical'];
const COMPONENT_STATUSES = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
];

export interface FakeIncident {
  id: string;
  name: string;
  status: string;
  impact: string;
  shortlink: string;
  metadata: Record<string, unknown>;
  components: Record<string, string>;
  incident_updates: { body: string; status: string }[];
}

export interface FakeStatuspage {
  /** What `incidents.statuspage.api_url` takes. */
  apiUrl: string;
  server: TestServer;
  incidents: FakeIncident[];
  /** Answer the next `times` requests with `status`. */
  failNext(status: number, times?: number): void;
  /** Create the next incident but answer 502, as a proxy that lost the reply would. */
  loseNextCreateReply(): void;
  close(): Promise<void>;
}

export async function startFakeStatuspage(pageId: string, apiKey: string): Promise<FakeStatuspage> {
  const incidents: FakeIncident[] = [];
  const failures: number[] = [];
  let loseCreateReply = false;
  const server = await startServer((req, res, raw) => {
    if (req.headers['authorization'] !== `OAuth ${apiKey}`)
      return sendJson(res, 401, { error: 'Could not authenticate' });
    const failure = failures.shift();
    if (failure) return sendJson(res, failure, { error: 'Service temporarily unavailable' });
    const match = /^\/v1\/pages\/([^/]+)\/incidents(?:\/([^/]+))?$/.exec(req.url ?? '');
    if (!match || match[1] !== pageId) return sendJson(res, 404, { error: 'Not found' });
    const sub = match[2];
    if (req.method === 'GET' && sub === 'unresolved')
      return sendJson(
        res,
        200,
        incidents.filter((i) => i.status !== 'resolved'),
      );
    let body: { incident?: Record<string, unknown> };
    try {
      body = JSON.parse(raw.toString('utf8') || '{}') as typeof body;
    } catch {
      return sendJson(res, 400, { error: 'Malformed JSON' });
    }
    const change = body.incident ?? {};
    const status = change['status'] as string | undefined;
    const impact = change['impact_override'] as string | undefined;
    const components = (change['components'] ?? {}) as Record<string, string>;
    if (status !== undefined && !STATUSES.includes(status))
      return sendJson(res, 422, { error: 'Status is invalid' });
    if (impact !== undefined && !IMPACTS.includes(impact))
      return sendJson(res, 422, { error: 'Impact override is invalid' });
    if (Object.values(components).some((s) => !COMPONENT_STATUSES.includes(s)))
      return sendJson(res, 422, { error: 'Component status is invalid' });
    if (req.method === 'POST' && sub === undefined) {
      if (typeof change['name'] !== 'string' || !change['name'])
        return sendJson(res, 422, { error: "Name can't be blank" });
      const id = randomBytes(6).toString('hex');
      const incident: FakeIncident = {
        id,
        name: change['name'],
        status: status ?? 'investigating',
        impact: impact ?? 'none',
        shortlink: `https://stspg.io/${id}`,
        metadata: (change['metadata'] ?? {}) as Record<string, unknown>,
        components,
        incident_updates: [{ body: String(change['body'] ?? ''), status: status ?? 'investigating' }],
      };
      incidents.push(incident);
      if (loseCreateReply) {
        loseCreateReply = false;
        return sendJson(res, 502, { error: 'Bad gateway' });
      }
      return sendJson(res, 201, incident);
    }
    const incident = incidents.find((i) => i.id === sub);
    if (req.method === 'PATCH' && incident) {
      if (status) incident.status = status;
      Object.assign(incident.components, components);
      if (change['body'] !== undefined)
        incident.incident_updates.push({ body: String(change['body']), status: incident.status });
      return sendJson(res, 200, incident);
    }
    sendJson(res, 404, { error: 'Not found' });
  });
  return {
    apiUrl: `${server.url}/v1`,
    server,
    incidents,
    failNext: (status, times = 1) => {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    loseNextCreateReply: () => {
      loseCreateReply = true;
    },
    close: () => server.close(),
  };
}
