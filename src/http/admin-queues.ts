// /admin/queues: bull-board over every Runway queue, behind RUNWAY_ADMIN_TOKEN as a bearer token.
// Off (404) when the token is unset: a queue dashboard can retry and delete jobs.
import { timingSafeEqual } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';

export const ADMIN_PATH = '/admin/queues';

export function mountAdminQueues(app: Express, options: { token?: string; queues: readonly Queue[] }): void {
  if (!options.token) return;
  // bull-board (~30 MB with its UI) is loaded on the first authorised request, not at start.
  let board: Promise<RequestHandler> | null = null;
  app.use(ADMIN_PATH, requireBearer(options.token), (req, res, next) => {
    board ??= loadBoard(options.queues);
    board.then((router) => router(req, res, next), next);
  });
}

async function loadBoard(queues: readonly Queue[]): Promise<RequestHandler> {
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const adapter = new ExpressAdapter();
  adapter.setBasePath(ADMIN_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  return adapter.getRouter() as RequestHandler;
}

export function requireBearer(token: string) {
  const expected = Buffer.from(token);
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="runway-admin"')
      .json({ ok: false, error: 'a bearer token (RUNWAY_ADMIN_TOKEN) is required' });
  };
}
