// The one HTTP app on PORT: Slack's endpoint (in HTTP mode), health and readiness. Express because
// Bolt's ExpressReceiver mounts on it, so Slack requests and our own routes share one port.
import express, { type Express } from 'express';

export interface Readiness {
  /** null when ready, else the reason (for a 503). */
  check(): Promise<string | null>;
}

export function createHttpApp(readiness: Readiness): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const reason = await readiness.check().catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
    if (reason) res.status(503).json({ ok: false, reason });
    else res.json({ ok: true });
  });
  return app;
}
