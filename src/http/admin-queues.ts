// /admin/queues: bull-board over every Runway queue, behind RUNWAY_ADMIN_TOKEN as a bearer token.
// Off (404) when the token is unset: a queue dashboard can retry and delete jobs.
import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Express, NextFunction, Request, Response } from 'express';

export const ADMIN_PATH = '/admin/queues';

export function mountAdminQueues(app: Express, options: { token?: string; queues: readonly Queue[] }): void {
  if (!options.token) return;
  const adapter = new ExpressAdapter();
  adapter.setBasePath(ADMIN_PATH);
  createBullBoard({ queues: options.queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  app.use(ADMIN_PATH, requireBearer(options.token), adapter.getRouter());
}

export function requireBearer(token: string) {
  const expected = Buffer.from(token);
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.status(401).set('WWW-Authenticate', 'Bearer realm="runway-admin"').json({ ok: false, error: 'a bearer token (RUNWAY_ADMIN_TOKEN) is required' });
  };
}
