// What every Web API method gets and gives: parsed arguments and the store in, Slack's `{ok, ...}` out.
import { str } from './args.ts';
import type { Args } from './body.ts';
import type { WorkspaceStore } from './store.ts';
import type { Channel } from './types.ts';

export interface MethodContext {
  args: Args;
  store: WorkspaceStore;
  /** Where this workspace is served: permalinks and upload URLs point here. */
  baseUrl: string;
  /** The largest page a list method returns, whatever limit is asked (Slack may return fewer too). */
  maxPageSize: number;
}

export type ApiResult = { ok: boolean; error?: string } & Record<string, unknown>;
export type Method = (ctx: MethodContext) => ApiResult;

export function ok(fields: Record<string, unknown> = {}): ApiResult {
  return { ok: true, ...fields };
}

export function fail(error: string, extra: Record<string, unknown> = {}): ApiResult {
  return { ok: false, error, ...extra };
}

/** Slack's way of explaining a refused argument: `[ERROR] …` lines under response_metadata.messages. */
export function failWith(error: string, problems: string[]): ApiResult {
  return fail(error, {
    errors: problems,
    response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
  });
}

/** A channel the bot can see: public ones, and private ones it belongs to (others do not exist for it). */
export function visibleChannel(ctx: MethodContext, key = 'channel'): Channel | undefined {
  const id = str(ctx.args, key);
  const channel = id ? ctx.store.resolveChannel(id) : undefined;
  if (!channel) return undefined;
  if (channel.is_private && !channel.members.includes(ctx.store.bot.user_id)) return undefined;
  return channel;
}

/**
 * A channel the bot may post in: one it is a member of, as Slack answers a bot with chat:write and
 * without chat:write.public (Runway's scopes) — a public channel must be joined first
 * (conversations.join), a private one the bot is not in answers not_in_channel too.
 */
export function writableChannel(ctx: MethodContext, key = 'channel'): Channel | ApiResult {
  const id = str(ctx.args, key);
  const channel = id ? ctx.store.resolveChannel(id) : undefined;
  if (!channel) return fail('channel_not_found');
  if (!channel.members.includes(ctx.store.bot.user_id)) return fail('not_in_channel');
  if (channel.is_archived) return fail('is_archived');
  return channel;
}

export function isResult(value: Channel | ApiResult): value is ApiResult {
  return 'ok' in value;
}
