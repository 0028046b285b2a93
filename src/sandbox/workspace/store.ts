// An in-memory Slack workspace: users, user groups, channels, messages with threads and edits, and
// ephemeral messages. Views, files and interaction tokens live in their own stores, composed here.
// Everything handed out is a copy, so a test holding a message sees it as it was, like a Slack client.
import { Feed, type FeedListener } from './feed.ts';
import { FileStore } from './file-store.ts';
import { createTsClock, newId, type Clock } from './ids.ts';
import { InteractionStore } from './interactions.ts';
import { defaultSeed, type BotIdentity, type Team, type WorkspaceSeed } from './seed.ts';
import type { Channel, Ephemeral, JsonObject, Message, MessageFile, User, UserGroup } from './types.ts';
import { ViewStore } from './view-store.ts';

export interface StoreOptions {
  seed?: WorkspaceSeed;
  now?: Clock;
  /** How long a trigger_id may be exchanged for a modal; Slack allows 3 s. */
  triggerTtlMs?: number;
}

export interface NewMessage {
  channel: string;
  user: string;
  text: string;
  blocks?: JsonObject[];
  thread_ts?: string;
  reply_broadcast?: boolean;
  files?: MessageFile[];
}

export interface NewEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: JsonObject[];
  thread_ts?: string;
  /** Slackbot's notice (e.g. "/release failed with the error …") rather than the app's message. */
  fromSlackbot?: boolean;
}

const copy = <T>(value: T): T => structuredClone(value);

export class WorkspaceStore {
  readonly team: Team;
  readonly bot: BotIdentity;
  readonly feed = new Feed();
  readonly views: ViewStore;
  readonly files: FileStore;
  readonly interactions: InteractionStore;
  readonly now: Clock;
  readonly nextTs: () => string;
  private readonly usersById = new Map<string, User>();
  private readonly groupsById = new Map<string, UserGroup>();
  private readonly channelsById = new Map<string, Channel>();
  /** Per channel, every message (roots, replies) in ts order. */
  private readonly messagesByChannel = new Map<string, Message[]>();
  private ephemeralList: Ephemeral[] = [];

  constructor(options: StoreOptions = {}) {
    const seed = options.seed ?? defaultSeed();
    this.now = options.now ?? Date.now;
    this.nextTs = createTsClock(this.now);
    this.team = seed.team;
    this.bot = seed.bot;
    for (const user of seed.users) this.usersById.set(user.id, copy(user));
    for (const group of seed.groups) this.groupsById.set(group.id, copy(group));
    for (const channel of seed.channels) {
      this.channelsById.set(channel.id, copy(channel));
      this.messagesByChannel.set(channel.id, []);
    }
    this.views = new ViewStore(this.feed, this.team.id);
    this.files = new FileStore(this.now);
    this.interactions = new InteractionStore(this.now, options.triggerTtlMs ?? 3000);
  }

  onChange(listener: FeedListener): () => void {
    return this.feed.subscribe(listener);
  }

  // ---- users and groups

  addUser(user: Pick<User, 'id' | 'name'> & Partial<User>): User {
    const full: User = {
      team_id: this.team.id,
      real_name: user.name,
      is_bot: false,
      tz: 'Europe/Paris',
      ...user,
    };
    this.usersById.set(full.id, full);
    return copy(full);
  }

  user(id: string): User | undefined {
    const found = this.usersById.get(id);
    return found && copy(found);
  }

  users(): User[] {
    return [...this.usersById.values()].map(copy);
  }

  /** A user by id, name or @name: what tests and the sandbox's user switcher have at hand. */
  resolveUser(idOrName: string): User | undefined {
    const name = idOrName.replace(/^@/, '');
    const found = this.usersById.get(name) ?? [...this.usersById.values()].find((u) => u.name === name);
    return found && copy(found);
  }

  addUserGroup(group: Pick<UserGroup, 'id' | 'handle' | 'users'> & Partial<UserGroup>): UserGroup {
    const full: UserGroup = { team_id: this.team.id, name: group.handle, ...group };
    this.groupsById.set(full.id, full);
    return copy(full);
  }

  userGroup(id: string): UserGroup | undefined {
    const found = this.groupsById.get(id);
    return found && copy(found);
  }

  userGroups(): UserGroup[] {
    return [...this.groupsById.values()].map(copy);
  }

  // ---- channels

  createChannel(input: { name: string; is_private?: boolean; creator: string; members?: string[] }): Channel {
    const channel: Channel = {
      id: newId('C'),
      name: input.name,
      is_private: input.is_private ?? false,
      is_archived: false,
      created: Math.floor(this.now() / 1000),
      creator: input.creator,
      members: [...new Set([input.creator, ...(input.members ?? [])])],
      topic: '',
      purpose: '',
    };
    this.channelsById.set(channel.id, channel);
    this.messagesByChannel.set(channel.id, []);
    this.feed.emit({ type: 'channel_created', channel: copy(channel) });
    for (const member of channel.members)
      this.feed.emit({ type: 'member_joined', channel: channel.id, user: member });
    return copy(channel);
  }

  setTopic(channelId: string, topic: string): Channel | undefined {
    const channel = this.channelsById.get(channelId);
    if (!channel) return undefined;
    channel.topic = topic;
    this.feed.emit({ type: 'channel_topic', channel: copy(channel) });
    return copy(channel);
  }

  channel(id: string): Channel | undefined {
    const found = this.channelsById.get(id);
    return found && copy(found);
  }

  /** A channel by id, name or #name, as chat.postMessage accepts. */
  resolveChannel(idOrName: string): Channel | undefined {
    const byId = this.channelsById.get(idOrName);
    if (byId) return copy(byId);
    const name = idOrName.replace(/^#/, '');
    const byName = [...this.channelsById.values()].find((c) => c.name === name);
    return byName && copy(byName);
  }

  channels(): Channel[] {
    return [...this.channelsById.values()].map(copy);
  }

  isMember(channelId: string, userId: string): boolean {
    return this.channelsById.get(channelId)?.members.includes(userId) ?? false;
  }

  /** Adds the user; false when already a member. */
  join(channelId: string, userId: string, inviter?: string): boolean {
    const channel = this.mustChannel(channelId);
    if (channel.members.includes(userId)) return false;
    channel.members.push(userId);
    this.feed.emit({
      type: 'member_joined',
      channel: channelId,
      user: userId,
      ...(inviter ? { inviter } : {}),
    });
    return true;
  }

  // ---- messages

  /** Posts as `user`; messages by the bot user carry its bot_id and app_id, like Slack's. */
  postMessage(input: NewMessage): Message {
    const list = this.mustMessages(input.channel);
    const ts = this.nextTs();
    const fromBot = input.user === this.bot.user_id;
    const message: Message = {
      type: 'message',
      channel: input.channel,
      ts,
      user: input.user,
      ...(fromBot ? { bot_id: this.bot.bot_id, app_id: this.bot.app_id } : {}),
      team: this.team.id,
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

  updateMessage(
    channelId: string,
    ts: string,
    change: { text?: string; blocks?: JsonObject[] },
    editor: string,
  ): Message | undefined {
    const message = this.findMessage(channelId, ts);
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

  deleteMessage(channelId: string, ts: string): boolean {
    const list = this.messagesByChannel.get(channelId);
    const index = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (!list || index < 0) return false;
    const [previous] = list.splice(index, 1);
    if (previous) this.feed.emit({ type: 'message_deleted', channel: channelId, ts, previous });
    return true;
  }

  message(channelId: string, ts: string): Message | undefined {
    const found = this.findMessage(channelId, ts);
    return found && copy(found);
  }

  /** What the channel shows, oldest first: roots and replies also sent to the channel. */
  history(channelId: string): Message[] {
    const list = this.messagesByChannel.get(channelId) ?? [];
    return list
      .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast')
      .map(copy);
  }

  /** The thread's root then its replies, oldest first; empty when the root is unknown. */
  replies(channelId: string, ts: string): Message[] {
    const root = this.threadRoot(channelId, ts);
    if (!root) return [];
    const list = this.messagesByChannel.get(channelId) ?? [];
    return list.filter((m) => m.ts === root.ts || m.thread_ts === root.ts).map(copy);
  }

  // ---- ephemeral messages

  postEphemeral(input: NewEphemeral): Ephemeral {
    const ephemeral: Ephemeral = {
      type: 'message',
      channel: input.channel,
      user: input.user,
      ts: this.nextTs(),
      ...(input.fromSlackbot ? { username: 'Slackbot' } : { bot_id: this.bot.bot_id }),
      text: input.text,
      ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
      ...(input.blocks ? { blocks: copy(input.blocks) } : {}),
    };
    this.ephemeralList.push(ephemeral);
    this.feed.emit({ type: 'ephemeral', channel: input.channel, user: input.user, message: copy(ephemeral) });
    return copy(ephemeral);
  }

  replaceEphemeral(ts: string, change: { text: string; blocks?: JsonObject[] }): Ephemeral | undefined {
    const found = this.ephemeralList.find((e) => e.ts === ts);
    if (!found) return undefined;
    found.text = change.text;
    if (change.blocks) found.blocks = copy(change.blocks);
    else delete found.blocks;
    this.feed.emit({
      type: 'ephemeral_changed',
      channel: found.channel,
      user: found.user,
      message: copy(found),
    });
    return copy(found);
  }

  deleteEphemeral(ts: string): boolean {
    const found = this.ephemeralList.find((e) => e.ts === ts);
    if (!found) return false;
    this.ephemeralList = this.ephemeralList.filter((e) => e !== found);
    this.feed.emit({ type: 'ephemeral_deleted', channel: found.channel, user: found.user, ts });
    return true;
  }

  ephemeral(ts: string): Ephemeral | undefined {
    const found = this.ephemeralList.find((e) => e.ts === ts);
    return found && copy(found);
  }

  /** Ephemeral messages, oldest first, for one user or everyone. */
  ephemerals(user?: string): Ephemeral[] {
    return this.ephemeralList.filter((e) => user === undefined || e.user === user).map(copy);
  }

  // ---- internals

  private mustChannel(id: string): Channel {
    const channel = this.channelsById.get(id);
    if (!channel) throw new Error(`no channel ${id}`);
    return channel;
  }

  private mustMessages(channelId: string): Message[] {
    this.mustChannel(channelId);
    const list = this.messagesByChannel.get(channelId);
    if (!list) throw new Error(`no messages for ${channelId}`);
    return list;
  }

  private findMessage(channelId: string, ts: string): Message | undefined {
    return this.messagesByChannel.get(channelId)?.find((m) => m.ts === ts);
  }

  /** The root of the thread `ts` belongs to: a reply's ts leads to its root, as in Slack. */
  private threadRoot(channelId: string, ts: string): Message | undefined {
    const message = this.findMessage(channelId, ts);
    if (!message) return undefined;
    if (message.thread_ts && message.thread_ts !== message.ts)
      return this.findMessage(channelId, message.thread_ts);
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
