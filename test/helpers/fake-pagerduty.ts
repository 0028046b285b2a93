// A fake PagerDuty Events API v2, written from its documentation
// (developer.pagerduty.com/docs/events-api-v2/trigger-events, …/acknowledge-events, …/resolve-events):
//   POST /v2/enqueue, JSON { routing_key (32 chars), event_action: trigger|acknowledge|resolve,
//   dedup_key (≤ 255; required for acknowledge and resolve), payload (trigger only: summary ≤ 1024,
//   source, severity critical|error|warning|info, optional custom_details, …) }
//   202 { status: "success", message: "Event processed", dedup_key }
//   400 { status: "invalid event", message: "Event object is invalid", errors: [...] }
//   429 and 5xx: try again later.
// It keeps alerts by dedup_key (a second trigger of an open alert is de-duplicated, as PagerDuty does)
// and can be told to fail the next requests.
import { sendJson, startServer, type TestServer } from './http-server.ts';

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  dedup_key?: string;
  payload?: { summary: string; source: string; severity: string; custom_details?: Record<string, unknown> };
}

export interface FakeAlert {
  dedupKey: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  summary: string;
  severity: string;
  /** How many trigger events PagerDuty de-duplicated into this alert. */
  triggers: number;
  customDetails?: Record<string, unknown>;
}

export interface FakePagerDuty {
  url: string;
  /** What a runbook's `pagerduty.url` takes. */
  enqueueUrl: string;
  server: TestServer;
  /** Accepted events, in order. */
  events: PagerDutyEvent[];
  alerts: Map<string, FakeAlert>;
  /** Answer the next `times` requests with `status` (and a body naming the routing key, as a careless proxy might). */
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

export async function startFakePagerDuty(): Promise<FakePagerDuty> {
  const events: PagerDutyEvent[] = [];
  const alerts = new Map<string, FakeAlert>();
  const failures: number[] = [];
  const server = await startServer((req, res, raw) => {
    if (req.method !== 'POST' || req.url !== '/v2/enqueue')
      return sendJson(res, 404, { status: 'error', message: 'Not found' });
    let event: Partial<PagerDutyEvent>;
    try {
      event = JSON.parse(raw.toString('utf8')) as Partial<PagerDutyEvent>;
    } catch {
      return sendJson(res, 400, {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ['Malformed JSON'],
      });
    }
    const failure = failures.shift();
    if (failure) {
      return sendJson(res, failure, {
        status: 'error',
        message: `upstream trouble for routing_key ${event.routing_key ?? ''}`,
      });
    }
    const errors = validate(event);
    if (errors.length > 0)
      return sendJson(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors });
    const valid = event as PagerDutyEvent;
    const dedupKey = valid.dedup_key ?? `generated-${events.length + 1}`;
    events.push(valid);
    const alert = alerts.get(dedupKey);
    if (valid.event_action === 'trigger') {
      if (alert && alert.status !== 'resolved') alert.triggers += 1;
      else {
        alerts.set(dedupKey, {
          dedupKey,
          status: 'triggered',
          summary: valid.payload?.summary ?? '',
          severity: valid.payload?.severity ?? '',
          triggers: 1,
          ...(valid.payload?.custom_details ? { customDetails: valid.payload.custom_details } : {}),
        });
      }
    } else if (alert && alert.status !== 'resolved') {
      alert.status = valid.event_action === 'acknowledge' ? 'acknowledged' : 'resolved';
    }
    sendJson(res, 202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  });
  return {
    url: server.url,
    enqueueUrl: `${server.url}/v2/enqueue`,
    server,
    events,
    alerts,
    failNext: (status, times = 1) => {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    close: () => server.close(),
  };
}

function validate(e: Partial<PagerDutyEvent>): string[] {
  const errors: string[] = [];
  if (typeof e.routing_key !== 'string' || e.routing_key.length !== 32)
    errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
  if (!e.event_action || !ACTIONS.includes(e.event_action))
    errors.push("'event_action' is missing or invalid");
  if (e.dedup_key !== undefined && (typeof e.dedup_key !== 'string' || e.dedup_key.length > 255))
    errors.push("'dedup_key' is invalid");
  if (e.event_action !== 'trigger' && e.event_action !== undefined && !e.dedup_key)
    errors.push("'dedup_key' is required for acknowledge and resolve");
  if (e.event_action === 'trigger') {
    const p = e.payload;
    if (!p || typeof p !== 'object') errors.push("'payload' is missing");
    else {
      if (typeof p.summary !== 'string' || !p.summary || p.summary.length > 1024)
        errors.push("'payload.summary' is missing or longer than 1024");
      if (typeof p.source !== 'string' || !p.source) errors.push("'payload.source' is missing");
      if (!SEVERITIES.includes(p.severity ?? ''))
        errors.push("'payload.severity' must be critical, error, warning or info");
    }
  }
  return errors;
}
