// Slack's Web API over HTTP: `POST /api/<method>` with a bot token, form-encoded or JSON arguments,
// answered with HTTP 200 and {ok:true,…} or {ok:false,error}. Hooks let the embedding code answer a
// call itself and see every call: the tests' fault injection and call log (test/helpers/workspace.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, str } from './args.ts';
import { contentType, parseArgs, parseMultipart, type Args } from './body.ts';
import { fail, type ApiResult, type Method } from './method-kit.ts';
import { chatMethods } from './methods-chat.ts';
import { conversationMethods } from './methods-conversations.ts';
import { directoryMethods } from './methods-directory.ts';
import { fileMethods } from './methods-files.ts';
import { viewMethods } from './methods-views.ts';
import type { WorkspaceStore } from './store.ts';
import { RateLimiter, type RateLimitSettings } from './rate-limits.ts';

export interface WebApiOptions {
  store: WorkspaceStore;
  botToken: string;
  /** The server's base URL, known once it listens. */
  baseUrl: () => string;
  /** Cap on list pages whatever `limit` asks, so tests exercise cursor paging. Default 1000. */
  maxPageSize?: number;
  /** Methods called with another token than the bot's (apps.connections.open with an app token). */
  tokenMethods?: Record<string, { token: string; run: (args: Args) => ApiResult }>;
  /** Enforce Slack's rate limits (429 + Retry-After): true for Slack's published ones. */
  rateLimits?: boolean | RateLimitSettings;
  hooks?: ApiHooks;
}

/** A raw answer to send in the workspace's place (e.g. a 429 with Retry-After). */
export interface Interception {
  status: number;
  body: ApiResult;
  headers?: Record<string, string>;
}

export interface ObservedCall {
  method: string;
  args: Args;
  at: number;
  /** What the call answered: ok, or the error code. */
  ok: boolean;
  error?: string;
}

export interface ApiHooks {
  /** Called for each authenticated bot call before it runs; an answer replaces the method's. */
  intercept?(method: string, args: Args): Interception | undefined;
  /** Told of every call once answered, with the interception that answered it, if any. */
  observe?(call: ObservedCall, interception?: Interception): void;
}

const METHODS: Record<string, Method> = {
  ...chatMethods,
  ...conversationMethods,
  ...directoryMethods,
  ...fileMethods,
  ...viewMethods,
};

// Scopes a release bot is installed with; WebClient copies them into response_metadata.scopes.
const SCOPES =
  'chat:write,chat:write.public,commands,channels:read,channels:join,channels:manage,channels:history,' +
  'groups:read,groups:write,groups:history,usergroups:read,users:read,files:write,files:read';

function send(
  res: ServerResponse,
  status: number,
  body: ApiResult,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'X-OAuth-Scopes': SCOPES,
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim();
}

export class WebApi {
  private readonly limiter: RateLimiter | null;

  constructor(private readonly options: WebApiOptions) {
    const limits = options.rateLimits;
    this.limiter = limits ? new RateLimiter(limits === true ? undefined : limits) : null;
  }

  /** Serves `/api/<method>`; `body` is the raw request body. */
  async handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://workspace');
    const method = decodeURIComponent(url.pathname.replace(/^\/api\//, ''));
    let args: Args;
    try {
      args = await this.readArgs(req, body, url.searchParams);
    } catch {
      return this.answer(res, { method, args: {}, at: Date.now() }, fail('invalid_json'));
    }
    const call = { method, args, at: Date.now() };
    const token = bearer(req) ?? str(args, 'token');
    if (!token) return this.answer(res, call, fail('not_authed'));
    const special = this.options.tokenMethods?.[method];
    if (special)
      return this.answer(res, call, token === special.token ? special.run(args) : fail('invalid_auth'));
    if (token !== this.options.botToken) return this.answer(res, call, fail('invalid_auth'));
    const interception = this.options.hooks?.intercept?.(method, args);
    if (interception) return this.answerWith(res, call, interception);
    const channel = str(args, 'channel');
    const retryAfter = this.limiter?.check(method, channel && this.options.store.resolveChannel(channel)?.id);
    if (retryAfter)
      return this.answerWith(res, call, {
        status: 429,
        body: fail('ratelimited'),
        headers: { 'Retry-After': String(retryAfter) },
      });
    const handler = METHODS[method];
    if (!handler) return this.answer(res, call, fail('unknown_method'));
    this.answer(res, call, this.run(handler, args));
  }

  private run(handler: Method, args: Args): ApiResult {
    const { store, baseUrl, maxPageSize = 1000 } = this.options;
    try {
      return handler({ args, store, baseUrl: baseUrl(), maxPageSize });
    } catch (error) {
      if (error instanceof ApiError) return fail(error.code, error.extra);
      throw error;
    }
  }

  private async readArgs(req: IncomingMessage, body: Buffer, query: URLSearchParams): Promise<Args> {
    const type = contentType(req);
    if (type === 'multipart/form-data')
      return { ...Object.fromEntries(query), ...(await parseMultipart(req, body)).fields };
    return parseArgs(type, body, query);
  }

  private answer(res: ServerResponse, call: Omit<ObservedCall, 'ok'>, result: ApiResult): void {
    this.options.hooks?.observe?.(outcome(call, result));
    send(res, 200, result);
  }

  private answerWith(res: ServerResponse, call: Omit<ObservedCall, 'ok'>, given: Interception): void {
    this.options.hooks?.observe?.(outcome(call, given.body), given);
    send(res, given.status, given.body, given.headers);
  }
}

function outcome(call: Omit<ObservedCall, 'ok'>, result: ApiResult): ObservedCall {
  return { ...call, ok: result.ok, ...(result.error ? { error: result.error } : {}) };
}
