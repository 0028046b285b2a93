// conversations.*: list (cursor paged), info, join, create, invite, members, history, replies, setTopic.
import { channelObject, messageObject } from './api-shapes.ts';
import { bool, list, str } from './args.ts';
import { compareTs } from './ids.ts';
import {
  fail,
  isResult,
  ok,
  visibleChannel,
  writableChannel,
  type Method,
  type MethodContext,
} from './method-kit.ts';
import { paginate } from './paging.ts';
import type { Message } from './types.ts';

const listChannels: Method = (ctx) => {
  const types = new Set(list(ctx.args, 'types'));
  if (types.size === 0) types.add('public_channel');
  const excludeArchived = bool(ctx.args, 'exclude_archived');
  const bot = ctx.store.bot.user_id;
  const channels = ctx.store
    .channels()
    .filter((c) =>
      c.is_private ? types.has('private_channel') && c.members.includes(bot) : types.has('public_channel'),
    )
    .filter((c) => !(excludeArchived && c.is_archived));
  const page = paginate(channels, (c) => c.id, ctx.args, { defaultLimit: 100, maxPageSize: ctx.maxPageSize });
  return ok({
    channels: page.items.map((c) => channelObject(c, ctx.store, true)),
    response_metadata: { next_cursor: page.next_cursor },
  });
};

const info: Method = (ctx) => {
  const channel = visibleChannel(ctx);
  if (!channel) return fail('channel_not_found');
  return ok({ channel: channelObject(channel, ctx.store, bool(ctx.args, 'include_num_members')) });
};

const join: Method = (ctx) => {
  const channel = ctx.store.resolveChannel(str(ctx.args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  if (channel.is_private) return fail('method_not_supported_for_channel_type');
  if (channel.is_archived) return fail('is_archived');
  const joined = ctx.store.join(channel.id, ctx.store.bot.user_id);
  const fresh = ctx.store.channel(channel.id) ?? channel;
  const warning = joined
    ? {}
    : { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } };
  return ok({ channel: channelObject(fresh, ctx.store), ...warning });
};

/** Slack's channel name rules: lowercase letters, digits, hyphens and underscores, at most 80. */
export function channelNameError(name: string | undefined): string | undefined {
  if (!name) return 'invalid_name_required';
  if (name.length > 80) return 'invalid_name_maxlength';
  if (!/^[a-z0-9_-]+$/.test(name)) return 'invalid_name_specials';
  if (/^[-_]+$/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}

const create: Method = (ctx) => {
  const name = str(ctx.args, 'name');
  const problem = channelNameError(name);
  if (problem || !name) return fail(problem ?? 'invalid_name_required');
  if (ctx.store.channels().some((c) => c.name === name)) return fail('name_taken');
  const channel = ctx.store.createChannel({
    name,
    is_private: bool(ctx.args, 'is_private'),
    creator: ctx.store.bot.user_id,
  });
  return ok({ channel: channelObject(channel, ctx.store) });
};

const invite: Method = (ctx) => {
  const channel = writableChannel(ctx);
  if (isResult(channel)) return channel;
  const bot = ctx.store.bot.user_id;
  if (!channel.members.includes(bot)) return fail('not_in_channel');
  const users = list(ctx.args, 'users');
  if (users.length === 0) return fail('no_user');
  const problems = users.flatMap((user) => {
    const error =
      user === bot
        ? 'cant_invite_self'
        : !ctx.store.user(user)
          ? 'user_not_found'
          : channel.members.includes(user)
            ? 'already_in_channel'
            : undefined;
    return error ? [{ user, ok: false, error }] : [];
  });
  // Without force, one bad user refuses the whole call and nobody is invited, as in Slack.
  const force = bool(ctx.args, 'force');
  const first = problems[0];
  if (first && !force) return fail(first.error, { errors: problems });
  const bad = new Set(problems.map((p) => p.user));
  for (const user of users) if (!bad.has(user)) ctx.store.join(channel.id, user, bot);
  const fresh = ctx.store.channel(channel.id) ?? channel;
  return ok({
    channel: channelObject(fresh, ctx.store),
    ...(problems.length > 0 ? { errors: problems } : {}),
  });
};

const members: Method = (ctx) => {
  const channel = visibleChannel(ctx);
  if (!channel) return fail('channel_not_found');
  const page = paginate(channel.members, (m) => m, ctx.args, {
    defaultLimit: 100,
    maxPageSize: ctx.maxPageSize,
  });
  return ok({ members: page.items, response_metadata: { next_cursor: page.next_cursor } });
};

/** Messages between `oldest` and `latest` (exclusive unless `inclusive`), as history and replies filter. */
function inRange(ctx: MethodContext, messages: Message[]): Message[] {
  const latest = str(ctx.args, 'latest');
  const oldest = str(ctx.args, 'oldest');
  const inclusive = bool(ctx.args, 'inclusive');
  return messages.filter((m) => {
    const afterLatest = latest ? compareTs(m.ts, latest) : -1;
    const beforeOldest = oldest ? compareTs(oldest, m.ts) : -1;
    if (afterLatest > 0 || (afterLatest === 0 && !inclusive)) return false;
    if (beforeOldest > 0 || (beforeOldest === 0 && !inclusive)) return false;
    return true;
  });
}

const history: Method = (ctx) => {
  const channel = visibleChannel(ctx);
  if (!channel) return fail('channel_not_found');
  const newestFirst = inRange(ctx, ctx.store.history(channel.id)).reverse();
  const page = paginate(newestFirst, (m) => m.ts, ctx.args, {
    defaultLimit: 100,
    maxPageSize: ctx.maxPageSize,
  });
  return ok({
    messages: page.items.map((m) => messageObject(m, ctx.baseUrl)),
    has_more: page.has_more,
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
    response_metadata: { next_cursor: page.next_cursor },
  });
};

const replies: Method = (ctx) => {
  const channel = visibleChannel(ctx);
  if (!channel) return fail('channel_not_found');
  const thread = ctx.store.replies(channel.id, str(ctx.args, 'ts') ?? '');
  if (thread.length === 0) return fail('thread_not_found');
  const page = paginate(inRange(ctx, thread), (m) => m.ts, ctx.args, {
    defaultLimit: 1000,
    maxPageSize: ctx.maxPageSize,
  });
  return ok({
    messages: page.items.map((m) => messageObject(m, ctx.baseUrl)),
    has_more: page.has_more,
    response_metadata: { next_cursor: page.next_cursor },
  });
};

/** Slack keeps a topic to 250 characters; only a member may set it. */
const setTopic: Method = (ctx) => {
  const channel = writableChannel(ctx);
  if (isResult(channel)) return channel;
  const topic = str(ctx.args, 'topic') ?? '';
  if ([...topic].length > 250) return fail('too_long');
  const changed = ctx.store.setTopic(channel.id, topic) ?? channel;
  return ok({ channel: channelObject(changed, ctx.store) });
};

export const conversationMethods: Record<string, Method> = {
  'conversations.setTopic': setTopic,
  'conversations.list': listChannels,
  'conversations.info': info,
  'conversations.join': join,
  'conversations.create': create,
  'conversations.invite': invite,
  'conversations.members': members,
  'conversations.history': history,
  'conversations.replies': replies,
};
