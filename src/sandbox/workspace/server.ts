// The workspace on a real HTTP port: the Web API (/api/<method>), upload URLs (/upload/v1/<file>),
// response URLs (/response/<id>) and file downloads (/files/<id>/<name>), plus the "person acts" helpers
// that send signed requests to the app. Tests and the local sandbox both run exactly this.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AppDriver,
  type AppResponse,
  type AppTransport,
  type ClickExtras,
  type MessageRef,
} from './app-driver.ts';
import { readBody } from './body.ts';
import { newToken } from './ids.ts';
import { handleResponseUrl } from './response-url.ts';
import { WorkspaceStore, type StoreOptions } from './store.ts';
import { handleUpload } from './upload.ts';
import type { SimpleValues } from './view-state.ts';
import { WebApi, type ApiHooks, type WebApiOptions } from './web-api.ts';
import { listenOn } from '../../http/listen.ts';

export type ExtraHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export interface WorkspaceServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  botToken: string;
  signingSecret: string;
  /** The app's request URL (its POST /slack/events); settable later with setAppUrl. */
  appUrl?: string;
  store?: WorkspaceStore;
  storeOptions?: StoreOptions;
  /** Cap on list pages (conversations.list, history, …) whatever limit is asked. */
  maxPageSize?: number;
  /** Enforce Slack's rate limits (chat.postMessage per channel, Tier 3 per workspace). */
  rateLimits?: WebApiOptions['rateLimits'];
  /** How long the app has to ack; Slack's 3 s by default. */
  ackTimeoutMs?: number;
  verificationToken?: string;
  /** Serves every other path (the sandbox's web page) on the same port. */
  fallback?: ExtraHandler;
  /** Web API methods called with another token (Socket Mode's apps.connections.open). */
  tokenMethods?: WebApiOptions['tokenMethods'];
  /** Reach the app this way instead of signed HTTP when it returns one (Socket Mode). */
  transport?: () => AppTransport | undefined;
  /** Answer Web API calls in the workspace's place, see every call (tests' faults and call log). */
  apiHooks?: ApiHooks;
}

export interface WorkspaceServer {
  url: string;
  /** What WebClient's slackApiUrl takes: `<url>/api/`. */
  apiUrl: string;
  store: WorkspaceStore;
  readonly appUrl: string | undefined;
  setAppUrl(url: string): void;
  slash(user: string, channelId: string, command: string, text: string): Promise<AppResponse>;
  click(
    user: string,
    message: MessageRef,
    actionId: string,
    value?: string,
    extras?: ClickExtras,
  ): Promise<AppResponse>;
  tick(
    user: string,
    message: MessageRef,
    actionId: string,
    selectedValues: string[],
    extras?: ClickExtras,
  ): Promise<AppResponse>;
  submitView(user: string, viewId: string, values?: SimpleValues): Promise<AppResponse>;
  openHome(user: string): Promise<AppResponse>;
  sendEvent: AppDriver['sendEvent'];
  /** POSTs any body, correctly signed, to the app. */
  send: AppDriver['send'];
  close(): Promise<void>;
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendText(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

export async function startWorkspaceServer(options: WorkspaceServerOptions): Promise<WorkspaceServer> {
  const host = options.host ?? '127.0.0.1';
  const store = options.store ?? new WorkspaceStore(options.storeOptions);
  let url = '';
  let appUrl = options.appUrl;
  const webApi = new WebApi({
    store,
    botToken: options.botToken,
    baseUrl: () => url,
    ...(options.maxPageSize ? { maxPageSize: options.maxPageSize } : {}),
    ...(options.tokenMethods ? { tokenMethods: options.tokenMethods } : {}),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.apiHooks ? { hooks: options.apiHooks } : {}),
  });
  const driver = new AppDriver({
    store,
    signingSecret: options.signingSecret,
    verificationToken: options.verificationToken ?? newToken(12),
    baseUrl: () => url,
    appUrl: () => appUrl,
    ackTimeoutMs: options.ackTimeoutMs ?? 3000,
    ...(options.transport ? { transport: options.transport } : {}),
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://workspace').pathname;
    if (path.startsWith('/api/')) return webApi.handle(req, res, body);
    const upload = /^\/upload\/v1\/([A-Z0-9]+)$/.exec(path);
    if (upload?.[1] && req.method === 'POST') {
      const answer = await handleUpload(store, upload[1], req, body);
      return sendText(res, answer.status, answer.text);
    }
    const response = /^\/response\/([A-Z0-9]+)$/.exec(path);
    if (response?.[1] && req.method === 'POST') {
      const answer = handleResponseUrl(store, response[1], body);
      return sendJson(res, answer.status, answer.body);
    }
    const file = /^\/files\/([A-Z0-9]+)(\/.*)?$/.exec(path);
    const stored = file?.[1] ? store.files.get(file[1]) : undefined;
    if (stored && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': stored.mimetype, 'Content-Length': stored.content.length });
      return void res.end(stored.content);
    }
    if (options.fallback) return options.fallback(req, res, body);
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error', detail: String(error) });
      else res.end();
    });
  });
  // The sandbox's page is on PORT: a second `npm start` beside the first says so in one line.
  await listenOn(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  url = `http://${host}:${port}`;

  return {
    url,
    apiUrl: `${url}/api/`,
    store,
    get appUrl() {
      return appUrl;
    },
    setAppUrl: (next) => {
      appUrl = next;
    },
    slash: (user, channel, command, text) => driver.slash(user, channel, command, text),
    click: (user, message, actionId, value, extras) => driver.click(user, message, actionId, value, extras),
    tick: (user, message, actionId, values, extras) => driver.tick(user, message, actionId, values, extras),
    submitView: (user, viewId, values) => driver.submitView(user, viewId, values),
    openHome: (user) => driver.openHome(user),
    sendEvent: (event, retry) => driver.sendEvent(event, retry),
    send: (body, type, sendOptions) => driver.send(body, type, sendOptions),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
