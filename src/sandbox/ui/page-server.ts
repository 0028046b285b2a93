// The sandbox's web page, served as the workspace server's `fallback`: the page itself (static files
// read once at start, no build step), its live feed (/ui/events), a snapshot (/ui/state) and the
// endpoints through which a person acts (/ui/command, /ui/click, /ui/tick, /ui/submit, /ui/home).
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkspaceServer } from '../workspace/server.ts';
import { ACTION_NAMES, runAction, type ActionName } from './actions.ts';
import { streamEvents } from './live.ts';
import { forwardToBot, forwardsToBot } from './bot-proxy.ts';
import { snapshot, type DemoState } from './model.ts';
import { EMOJI_PATH } from './render/emoji.ts';
import { EMOJI_IMAGE_DIR } from './render/emoji-data.ts';

export interface SandboxPageDeps {
  /** Getters: the handler is created before the servers it talks to are started. */
  workspace: () => WorkspaceServer;
  demo: () => {
    url: string;
    state(): Pick<DemoState, 'stable' | 'canary' | 'weight'>;
    flag?(): NonNullable<DemoState['flag']>;
    database?(): { schema: number; migrations: readonly { version: string }[] };
  };
  /** The bot's own HTTP server (health, readiness, metrics, /admin/queues), once it listens; null before. */
  botUrl?: () => string | null;
}

export type PageHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
const MAX_BODY = 64 * 1024;

interface StaticFile {
  type: string;
  content: Buffer;
}

/** Every file of static/, read once: the page has a handful of small files and no build step. */
function loadStatic(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(STATIC_DIR)) {
    const type = TYPES[extname(name)];
    if (type) files.set(name, { type, content: readFileSync(join(STATIC_DIR, name)) });
  }
  return files;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  content: string | Buffer,
  cache = 'no-cache',
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': cache,
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(content);
}

const sendJson = (res: ServerResponse, status: number, value: unknown): void =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

/**
 * Only the page itself may act: a JSON body cannot be posted cross-site without a CORS preflight (which
 * is never granted), and an Origin, when sent, must be this server's.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return false;
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${req.headers.host ?? ''}`;
}

export function createSandboxPage(deps: SandboxPageDeps): PageHandler {
  const files = loadStatic();
  const page = files.get('index.html');
  if (!page) throw new Error(`the sandbox page is missing from ${STATIC_DIR}`);
  const demoState = (): DemoState | null => {
    try {
      const demo = deps.demo();
      const { stable, canary, weight } = demo.state();
      const db = demo.database?.();
      return {
        stable,
        canary,
        weight,
        ...(demo.flag ? { flag: { ...demo.flag() } } : {}),
        ...(db ? { database: { schema: db.schema, by: db.migrations.at(-1)?.version ?? null } } : {}),
      };
    } catch {
      return null;
    }
  };
  const me = (url: URL): string | null => {
    const user = deps.workspace().store.resolveUser(url.searchParams.get('user') ?? 'UALICE');
    return user && !user.is_bot ? user.id : null;
  };

  return async (req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    if (forwardsToBot(req.method, path)) {
      const bot = deps.botUrl?.() ?? null;
      // Alive while the bot starts; not ready, and no metrics yet.
      if (!bot)
        return path === '/healthz'
          ? sendJson(res, 200, { ok: true })
          : sendJson(res, 503, { ok: false, reason: 'the bot is starting' });
      return forwardToBot(`${bot}${path}${url.search}`, req, res, body);
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      // Permalinks (/archives/C…/p…) open the page too; it then shows that message.
      if (path === '/' || path.startsWith('/archives/')) return send(res, 200, page.type, page.content);
      const file = /^\/static\/([\w.-]+)$/.exec(path)?.[1];
      const found = file ? files.get(file) : undefined;
      if (found) return send(res, 200, found.type, found.content);
      const emoji = path.startsWith(EMOJI_PATH) ? await emojiImage(path.slice(EMOJI_PATH.length)) : null;
      // The images never change within a version of the data set.
      if (emoji) return send(res, 200, TYPES['.png']!, emoji, 'public, max-age=86400');
      if (path === '/favicon.ico' && files.has('favicon.svg'))
        return send(res, 200, TYPES['.svg']!, files.get('favicon.svg')!.content);
      if ((path === '/ui/state' || path === '/ui/events') && req.method === 'GET') {
        const user = me(url);
        if (!user) return sendJson(res, 400, { ok: false, error: 'unknown_user' });
        const store = () => deps.workspace().store;
        if (path === '/ui/events') return streamEvents(req, res, { store, demo: demoState }, user);
        return sendJson(res, 200, snapshot(store(), user, demoState()));
      }
    }
    const action = /^\/ui\/(\w+)$/.exec(path)?.[1];
    if (req.method === 'POST' && action && (ACTION_NAMES as string[]).includes(action)) {
      if (!sameOrigin(req)) return sendJson(res, 403, { ok: false, error: 'json_from_the_page_only' });
      if (body.length > MAX_BODY) return sendJson(res, 413, { ok: false, error: 'too_large' });
      let input: unknown;
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, { ok: false, error: 'invalid_json' });
      }
      const result = await runAction(deps.workspace(), action as ActionName, input);
      return sendJson(res, result.status, result.body);
    }
    sendJson(res, 404, { ok: false, error: 'not_found' });
  };
}

const emojiCache = new Map<string, Buffer>();

/** An emoji image of the data set by its file name ("2705.png", "1f3f3-fe0f-200d-1f308.png"), or null. */
async function emojiImage(file: string): Promise<Buffer | null> {
  if (!/^[0-9a-f]{2,6}(?:-[0-9a-f]{2,6}){0,9}\.png$/.test(file)) return null;
  const cached = emojiCache.get(file);
  if (cached) return cached;
  const content = await readFile(join(EMOJI_IMAGE_DIR, file)).catch(() => null);
  if (content) emojiCache.set(file, content);
  return content;
}
