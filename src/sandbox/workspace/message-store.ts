// The workspace's messages: per channel, roots and replies in ts order, with edits, deletions and
// thread bookkeeping on the root (reply_count, reply_users, latest_reply), each change on the feed.
// Everything handed out is a copy, so a test holding a message sees it as it was, like a Slack client.
import type { Feed } from './feed.ts';
import type { BotIdentity } from './seed.ts';
import type { JsonObject, Message, MessageFile } from './types.ts';

export interface NewMessage {
  channel: string;
  user: string;
  text: string;
  blocks?: JsonObject[];
  thread_ts?: string;
  reply_broadcast?: boolean;
  files?: MessageFile[];
}

const copy = <T>(value: T): T => structuredClone(value);

export class MessageStore {
  /** Per channel, every message (roots, replies) in ts order. */
  private readonly byChannel = new Map<string, Message[]>();

  constructor(
    private readonly feed: Feed,
    private readonly nextTs: () => string,
    private readonly teamId: string,
    private readonly bot: BotIdentity,
  ) {}

  /** A channel's (empty) message list, as the channel is stored. */
  open(channelId: string): void {
    this.byChannel.set(channelId, []);
  }

  /** Posts as `user`; messages by the bot user carry its bot_id and app_id, like Slack's. */
  post(input: NewMessage): Message {
    const list = this.byChannel.get(input.channel);
    if (!list) throw new Error(`no channel ${input.channel}`);
    const ts = this.nextTs();
    const fromBot = input.user === this.bot.user_id;
    const message: Message = {
      type: 'message',
      channel: input.channel,
      ts,
      user: input.user,
      ...(fromBot ? { bot_id: this.bot.bot_id, app_id: this.bot.app_id } : {}),
      team: this.teamId,
      text: input.text,
      ...(input.blocks ? { blocks: copy(input.blocks) } : {}),
      ...(input.files ? { files: copy(input.files) } : {}),
    };
    const root = input.thread_ts ? this.threadRoot(input.channel, input.thread_ts) : undefined;
    if (root) {
      message.thread_ts = root.ts;
      message.parent_user_id = root.user;
      if (input.reply_broadcast) message.subtype = 'thread_broadcast';
    }
    list.push(message);
    this.feed.emit({ type: 'message', channel: input.channel, message: copy(message) });
    if (root) this.noteReply(root, message);
    return copy(message);
  }

  update(
    channelId: string,
    ts: string,
    change: { text?: string; blocks?: JsonObject[] },
    editor: string,
  ): Message | undefined {
    const message = this.find(channelId, ts);
    if (!message) return undefined;
    const previous = copy(message);
    if (change.text !== undefined) message.text = change.text;
    if (change.blocks !== undefined) {
      if (change.blocks.length > 0) message.blocks = copy(change.blocks);
      else delete message.blocks;
    }
    message.edited = { user: editor, ts: this.nextTs() };
    this.feed.emit({ type: 'message_changed', channel: channelId, message: copy(message), previous });
    return copy(message);
  }

  delete(channelId: string, ts: string): boolean {
    const list = this.byChannel.get(channelId);
    const index = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (!list || index < 0) return false;
    const [previous] = list.splice(index, 1);
    if (previous) this.feed.emit({ type: 'message_deleted', channel: channelId, ts, previous });
    return true;
  }

  get(channelId: string, ts: string): Message | undefined {
    const found = this.find(channelId, ts);
    return found && copy(found);
  }

  /** What the channel shows, oldest first: roots and replies also sent to the channel. */
  history(channelId: string): Message[] {
    const list = this.byChannel.get(channelId) ?? [];
    return list
      .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast')
      .map(copy);
  }

  /** The thread's root then its replies, oldest first; empty when the root is unknown. */
  replies(channelId: string, ts: string): Message[] {
    const root = this.threadRoot(channelId, ts);
    if (!root) return [];
    const list = this.byChannel.get(channelId) ?? [];
    return list.filter((m) => m.ts === root.ts || m.thread_ts === root.ts).map(copy);
  }

  private find(channelId: string, ts: string): Message | undefined {
    return this.byChannel.get(channelId)?.find((m) => m.ts === ts);
  }

  /** The root of the thread `ts` belongs to: a reply's ts leads to its root, as in Slack. */
  private threadRoot(channelId: string, ts: string): Message | undefined {
    const message = this.find(channelId, ts);
    if (!message) return undefined;
    if (message.thread_ts && message.thread_ts !== message.ts) return this.find(channelId, message.thread_ts);
    return message;
  }

  private noteReply(root: Message, reply: Message): void {
    const previous = copy(root);
    root.thread_ts = root.ts;
    root.reply_count = (root.reply_count ?? 0) + 1;
    root.reply_users = [...new Set([...(root.reply_users ?? []), reply.user])].slice(0, 5);
    root.latest_reply = reply.ts;
    this.feed.emit({ type: 'message_changed', channel: root.channel, message: copy(root), previous });
  }
}
