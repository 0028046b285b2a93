// The sandbox's demo service: a simulated blue/green deployment driven by the demo runbook's webhooks
// (deploy, traffic, rollback), a simulated database its migration stage changes (migrate, undone by
// migrate/down), a feature flag served through LaunchDarkly's REST API (flag-api.ts), a health
// endpoint for smoke tests, Prometheus-format metrics and a Prometheus-compatible /api/v1/query.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initialDatabase, type DatabaseState } from './database-model.ts';
import { answerFlagRequest, FLAG_API_PREFIX } from './flag-api.ts';
import { newDemoFlag, servedPercent, type DemoFlag } from './flag-model.ts';
import { evaluate } from './query.ts';
import { simulate, type Tick, type TrafficState } from './traffic-model.ts';
import { applyWebhook, type DemoWorld } from './webhooks.ts';

/** The flag the demo runbook's flag stage turns on (LaunchDarkly project `shop`, key `new-checkout`). */
export const DEMO_FLAG = { project: 'shop', key: 'new-checkout', environments: ['production'] } as const;

export interface DemoFlagView {
  key: string;
  on: boolean;
  /** The share of users served `true` (0 when off). */
  percent: number;
}

export interface DemoService {
  url: string;
  /** The access token the flag API wants in `Authorization` (fresh each start). */
  flagToken: string;
  state(): TrafficState;
  database(): DatabaseState;
  flag(): DemoFlagView;
  close(): Promise<void>;
}

export interface DemoOptions {
  port?: number;
  host?: string;
  stable?: string;
  /** Simulated requests per second. */
  rps?: number;
  tickMs?: number;
  flagToken?: string;
  /** Called on every change of the traffic split (the sandbox page shows the split). */
  onChange?: (state: TrafficState) => void;
}

const KEEP_MS = 10 * 60_000;

export async function startDemoService(options: DemoOptions = {}): Promise<DemoService> {
  let world: DemoWorld = {
    traffic: { stable: options.stable ?? 'v1.2.0', canary: null, weight: 0 },
    database: initialDatabase(),
  };
  let flag: DemoFlag = newDemoFlag(DEMO_FLAG.key, DEMO_FLAG.project, DEMO_FLAG.environments);
  const flagToken = options.flagToken ?? `api-demo-${randomBytes(12).toString('hex')}`;
  let ticks: Tick[] = [];
  const totals = new Map<string, { requests: number; errors: number }>();
  const seen = new Map<string, { status: number; body: unknown }>();
  const rps = options.rps ?? 200;

  const timer = setInterval(() => {
    const now = Date.now();
    const fresh = simulate(world.traffic, Math.round((rps * (options.tickMs ?? 1000)) / 1000), now);
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
    if (req.method === 'GET' && url.pathname === '/health')
      return send(200, { status: 'healthy', ...world.traffic });
    if (req.method === 'GET' && url.pathname === '/state') return send(200, world.traffic);
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
    if (url.pathname.startsWith(FLAG_API_PREFIX)) {
      const answer = answerFlagRequest(flag, flagToken, {
        method: req.method ?? 'GET',
        path: url.pathname,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      });
      if (answer.flag) flag = answer.flag;
      return send(answer.status, answer.body);
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
    const answer = applyWebhook(url.pathname, parsed, world);
    if (answer.world) {
      const moved = answer.world.traffic !== world.traffic;
      world = answer.world;
      if (moved) options.onChange?.(world.traffic);
    }
    if (key && answer.status < 500) seen.set(key, { status: answer.status, body: answer.body });
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
    flagToken,
    state: () => world.traffic,
    database: () => world.database,
    flag: () => {
      const env = flag.environments[DEMO_FLAG.environments[0]];
      return { key: flag.key, on: env?.on ?? false, percent: env ? servedPercent(env) : 0 };
    },
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
