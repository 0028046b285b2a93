// The sandbox's demo service: a simulated blue/green deployment driven by the demo runbook's webhooks
// (deploy, traffic, rollback), a health endpoint for smoke tests, Prometheus-format metrics and a
// Prometheus-compatible /api/v1/query for the gates.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { evaluate } from './query.ts';
import { deploy, rollback, shift, simulate, type Tick, type TrafficState } from './traffic-model.ts';

export interface DemoService {
  url: string;
  state(): TrafficState;
  close(): Promise<void>;
}

export interface DemoOptions {
  port?: number;
  host?: string;
  stable?: string;
  /** Simulated requests per second. */
  rps?: number;
  tickMs?: number;
  /** Called on every change (the sandbox page shows the split). */
  onChange?: (state: TrafficState) => void;
}

const KEEP_MS = 10 * 60_000;
const versionBody = z.object({ version: z.string().min(1).max(100) });
const trafficBody = z.object({ percent: z.coerce.number().min(0).max(100) });
const rollbackBody = z.object({ version: z.string().max(100).nullish() });

export async function startDemoService(options: DemoOptions = {}): Promise<DemoService> {
  let state: TrafficState = { stable: options.stable ?? 'v1.2.0', canary: null, weight: 0 };
  let ticks: Tick[] = [];
  const totals = new Map<string, { requests: number; errors: number }>();
  const seen = new Map<string, { status: number; body: unknown }>();
  const rps = options.rps ?? 200;

  const change = (next: TrafficState) => {
    state = next;
    options.onChange?.(state);
  };
  const timer = setInterval(() => {
    const now = Date.now();
    const fresh = simulate(state, Math.round((rps * (options.tickMs ?? 1000)) / 1000), now);
    for (const t of fresh) {
      const total = totals.get(t.version) ?? { requests: 0, errors: 0 };
      total.requests += t.requests;
      total.errors += t.errors;
      totals.set(t.version, total);
    }
    ticks = [...ticks.filter((t) => t.at > now - KEEP_MS), ...fresh];
  }, options.tickMs ?? 1000);
  timer.unref();

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const send = (status: number, value: unknown, type = 'application/json') => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(typeof value === 'string' ? value : JSON.stringify(value));
    };
    if (req.method === 'GET' && url.pathname === '/health') return send(200, { status: 'healthy', ...state });
    if (req.method === 'GET' && url.pathname === '/state') return send(200, state);
    if (req.method === 'GET' && url.pathname === '/metrics')
      return send(200, metricsText(totals), 'text/plain; version=0.0.4');
    if (url.pathname === '/api/v1/query') {
      const query = url.searchParams.get('query') ?? new URLSearchParams(body).get('query') ?? '';
      const result = evaluate(query, ticks, Date.now());
      if (!result.ok) return send(400, { status: 'error', errorType: 'bad_data', error: result.error });
      const result_ =
        result.value === null ? [] : [{ metric: {}, value: [Date.now() / 1000, String(result.value)] }];
      return send(200, { status: 'success', data: { resultType: 'vector', result: result_ } });
    }
    if (req.method !== 'POST') return send(404, { error: 'not found' });
    // Webhooks carry an Idempotency-Key: a repeat gets the first answer and changes nothing.
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const previous = key ? seen.get(key) : undefined;
    if (previous) return send(previous.status, previous.body);
    let parsed: unknown;
    try {
      parsed = body ? JSON.parse(body) : {};
    } catch {
      return send(400, { error: 'expected a JSON body' });
    }
    let answer: { status: number; body: unknown };
    if (url.pathname === '/deploy') {
      const input = versionBody.safeParse(parsed);
      if (!input.success) answer = { status: 400, body: { error: 'expected {"version": "…"}' } };
      else {
        change(deploy(state, input.data.version));
        answer = { status: 200, body: state };
      }
    } else if (url.pathname === '/traffic') {
      const input = trafficBody.safeParse(parsed);
      if (!input.success) answer = { status: 400, body: { error: 'expected {"percent": 0..100}' } };
      else {
        change(shift(state, input.data.percent));
        answer = { status: 200, body: state };
      }
    } else if (url.pathname === '/rollback') {
      const input = rollbackBody.safeParse(parsed);
      if (!input.success) answer = { status: 400, body: { error: 'expected {"version": "…"}' } };
      else {
        change(rollback(state, input.data.version ?? null));
        answer = { status: 200, body: state };
      }
    } else {
      answer = { status: 404, body: { error: 'not found' } };
    }
    if (key && answer.status < 500) seen.set(key, answer);
    return send(answer.status, answer.body);
  };

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      handle(req, res, body).catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    state: () => state,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function metricsText(totals: Map<string, { requests: number; errors: number }>): string {
  const lines = [
    '# HELP http_requests_total Simulated requests by version and status.',
    '# TYPE http_requests_total counter',
  ];
  for (const [version, t] of totals) {
    lines.push(`http_requests_total{version="${version}",code="200"} ${t.requests - t.errors}`);
    lines.push(`http_requests_total{version="${version}",code="500"} ${t.errors}`);
  }
  return `${lines.join('\n')}\n`;
}
