// A proxy in front of the workspace fake that loses answers: every call reaches Slack, and when
// `lose(method, body)` says so the caller gets a 500 instead of Slack's answer — the 5xx or timeout
// after Slack took the post that chat.postMessage's lack of an idempotency key makes dangerous.
import { createServer } from 'node:http';

export interface LossyProxy {
  /** The Web API URL to give a WebClient (ends in /api/). */
  url: string;
  close(): Promise<void>;
}

export async function lossyProxy(
  target: string,
  lose: (method: string, body: string) => boolean,
): Promise<LossyProxy> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const method = (req.url ?? '').replace(/^\/+(api\/)?/, '');
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
    ) as Record<string, string>;
    const up = await fetch(`${target.replace(/\/?$/, '/')}${method}`, { method: 'POST', headers, body });
    const text = await up.text();
    if (lose(method, body.toString('utf8'))) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream lost');
      return;
    }
    res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/api/`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
