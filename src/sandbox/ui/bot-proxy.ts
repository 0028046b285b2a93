// The bot's operational endpoints, answered on the sandbox's port too (SPEC section 1: all on PORT):
// health, readiness and metrics, and the queue dashboard under /admin/queues. The bot's own HTTP
// server decides (a 404 without RUNWAY_ADMIN_TOKEN, a 401 without the bearer), as in HTTP mode.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_PATH } from '../../http/admin-queues.ts';

const BOT_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Request headers the bot needs: the bearer token, and what the dashboard's API posts. */
const REQUEST_HEADERS = ['authorization', 'content-type', 'accept'];
/** Response headers relayed: a 401 says how to authenticate; the dashboard redirects and caches. */
const RESPONSE_HEADERS = ['content-type', 'www-authenticate', 'location', 'cache-control'];

/** Whether the sandbox relays this request to the bot; the dashboard's API also retries and cleans jobs. */
export function forwardsToBot(method: string | undefined, path: string): boolean {
  if (path === ADMIN_PATH || path.startsWith(`${ADMIN_PATH}/`)) return true;
  return (method === 'GET' || method === 'HEAD') && BOT_PATHS.has(path);
}

/** Relays a request to the bot's HTTP server: status, the headers above and the body as they are. */
export async function forwardToBot(
  target: string,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const name of REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const method = req.method ?? 'GET';
  try {
    const answer = await fetch(target, {
      method,
      headers,
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: new Uint8Array(body) }),
      redirect: 'manual',
      signal: AbortSignal.timeout(5000),
    });
    const content = Buffer.from(await answer.arrayBuffer());
    const relayed: Record<string, string> = { 'content-type': 'text/plain' };
    for (const name of RESPONSE_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) relayed[name] = value;
    }
    res.writeHead(answer.status, relayed);
    res.end(content);
  } catch (err) {
    res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({
        ok: false,
        reason: `the bot did not answer: ${err instanceof Error ? err.message : String(err)}`,
      }),
    );
  }
}
