// chat.*: post, update, delete, ephemeral, permalink. Errors as Slack names them.
import { permalink, messageObject } from './api-shapes.ts';
import { bool, json, str } from './args.ts';
import { SLACK_LIMITS } from '../../slack/blockkit.ts';
import { checkBlocks } from './block-limits.ts';
import { withGeneratedIds } from './block-walk.ts';
import {
  fail,
  failWith,
  isResult,
  ok,
  writableChannel,
  type ApiResult,
  type Method,
  type MethodContext,
} from './method-kit.ts';
import type { JsonObject } from './types.ts';

const MAX_TEXT = SLACK_LIMITS.messageText;

/** The blocks argument: absent, or checked against Block Kit's limits and given generated ids. */
export function blocksArg(
  ctx: MethodContext,
  surface: 'message' | 'view' = 'message',
): JsonObject[] | undefined | ApiResult {
  const raw = json(ctx.args, 'blocks', 'invalid_blocks_format');
  if (raw === undefined || raw === null || raw === '') return undefined;
  const checked = checkBlocks(raw, surface);
  if (!checked.ok) return failWith(checked.error, checked.errors);
  return withGeneratedIds(checked.blocks);
}

const isFailure = (value: JsonObject[] | undefined | ApiResult): value is ApiResult =>
  value !== undefined && !Array.isArray(value);

const postMessage: Method = (ctx) => {
  const channel = writableChannel(ctx);
  if (isResult(channel)) return channel;
  const blocks = blocksArg(ctx);
  if (isFailure(blocks)) return blocks;
  const text = str(ctx.args, 'text') ?? '';
  if (!text && (!blocks || blocks.length === 0)) return fail('no_text');
  if (text.length > MAX_TEXT) return fail('msg_too_long');
  const threadTs = str(ctx.args, 'thread_ts');
  // Slack drops a reply to a missing parent silently; refusing it here catches the bug in tests instead.
  if (threadTs && !ctx.store.message(channel.id, threadTs)) return fail('thread_not_found');
  const message = ctx.store.postMessage({
    channel: channel.id,
    user: ctx.store.bot.user_id,
    text,
    ...(blocks && blocks.length > 0 ? { blocks } : {}),
    ...(threadTs ? { thread_ts: threadTs, reply_broadcast: bool(ctx.args, 'reply_broadcast') } : {}),
  });
  return ok({ channel: channel.id, ts: message.ts, message: messageObject(message, ctx.baseUrl) });
};

const update: Method = (ctx) => {
  const channel = writableChannel(ctx);
  if (isResult(channel)) return channel;
  const ts = str(ctx.args, 'ts');
  const existing = ts ? ctx.store.message(channel.id, ts) : undefined;
  if (!ts || !existing) return fail('message_not_found');
  if (existing.user !== ctx.store.bot.user_id) return fail('cant_update_message');
  const blocks = blocksArg(ctx);
  if (isFailure(blocks)) return blocks;
  const text = str(ctx.args, 'text');
  if (text === undefined && blocks === undefined) return fail('no_text');
  if (text !== undefined && text.length > MAX_TEXT) return fail('msg_too_long');
  const updated = ctx.store.updateMessage(
    channel.id,
    ts,
    { ...(text !== undefined ? { text } : {}), ...(blocks !== undefined ? { blocks } : {}) },
    ctx.store.bot.user_id,
  );
  if (!updated) return fail('message_not_found');
  return ok({ channel: channel.id, ts, text: updated.text, message: messageObject(updated, ctx.baseUrl) });
};

const remove: Method = (ctx) => {
  const channel = writableChannel(ctx);
  if (isResult(channel)) return channel;
  const ts = str(ctx.args, 'ts');
  const existing = ts ? ctx.store.message(channel.id, ts) : undefined;
  if (!ts || !existing) return fail('message_not_found');
  if (existing.user !== ctx.store.bot.user_id) return fail('cant_delete_message');
  ctx.store.deleteMessage(channel.id, ts);
  return ok({ channel: channel.id, ts });
};

const postEphemeral: Method = (ctx) => {
  const channel = writableChannel(ctx);
  if (isResult(channel)) return channel;
  const userId = str(ctx.args, 'user');
  const user = userId ? ctx.store.user(userId) : undefined;
  if (!user) return fail('user_not_found');
  if (!ctx.store.isMember(channel.id, user.id)) return fail('user_not_in_channel');
  const blocks = blocksArg(ctx);
  if (isFailure(blocks)) return blocks;
  const text = str(ctx.args, 'text') ?? '';
  if (!text && (!blocks || blocks.length === 0)) return fail('no_text');
  const threadTs = str(ctx.args, 'thread_ts');
  const message = ctx.store.postEphemeral({
    channel: channel.id,
    user: user.id,
    text,
    ...(blocks && blocks.length > 0 ? { blocks } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return ok({ message_ts: message.ts });
};

const getPermalink: Method = (ctx) => {
  const channel = writableChannel(ctx);
  if (isResult(channel)) return fail('channel_not_found');
  const ts = str(ctx.args, 'message_ts');
  const message = ts ? ctx.store.message(channel.id, ts) : undefined;
  if (!message) return fail('message_not_found');
  return ok({ channel: channel.id, permalink: permalink(ctx.baseUrl, message) });
};

export const chatMethods: Record<string, Method> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': remove,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
};
