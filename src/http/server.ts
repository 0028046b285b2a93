// The one HTTP app on PORT: Slack's endpoint (in HTTP mode), health, readiness, Prometheus metrics and
// the queue dashboard. Express because Bolt's ExpressReceiver mounts on it, so Slack requests and our
// own routes share one port.
import express, { type Express } from 'express';
import type { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import { mountAdminQueues } from './admin-queues.ts';

export interface Readiness {
  /** null when ready, else the reason (for a 503). */
  check(): Promise<string | null>;
}

export interface HttpOptions {
  readiness: Readiness;
  metrics?: Registry;
  admin?: { token?: string; queues: readonly Queue[] };
}

export function createHttpApp(options: HttpOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const reason = await options.readiness
      .check()
      .catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
    if (reason) res.status(503).json({ ok: false, reason });
    else res.json({ ok: true });
  });
  const registry = options.metrics;
  if (registry) {
    app.get('/metrics', async (_req, res) => {
      res.set('Content-Type', registry.contentType).send(await registry.metrics());
    });
  }
  if (options.admin) mountAdminQueues(app, options.admin);
  return app;
}
