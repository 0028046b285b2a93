// An in-memory Slack workspace: people, channels, messages with threads and edits, ephemeral messages,
// views, files and interaction tokens, each kept by its own store and composed here behind one face
// (what the Web API methods, the sandbox page and tests call).
import { ChannelStore } from './channel-store.ts';
import { EphemeralStore, type NewEphemeral } from './ephemeral-store.ts';
import { Feed, type FeedListener } from './feed.ts';
import { FileStore } from './file-store.ts';
import { createTsClock, type Clock } from './ids.ts';
import { InteractionStore } from './interactions.ts';
import { MessageStore, type NewMessage } from './message-store.ts';
import { PeopleStore } from './people-store.ts';
import { defaultSeed, type BotIdentity, type Team, type WorkspaceSeed } from './seed.ts';
import type { Channel, Ephemeral, JsonObject, Message, User, UserGroup } from './types.ts';
import { ViewStore } from './view-store.ts';

export type { NewEphemeral } from './ephemeral-store.ts';
export type { NewMessage } from './message-store.ts';

export interface StoreOptions {
  seed?: WorkspaceSeed;
  now?: Clock;
  /** How long a trigger_id may be exchanged for a modal; Slack allows 3 s. */
  triggerTtlMs?: number;
}

export class WorkspaceStore {
  readonly team: Team;
  readonly bot: BotIdentity;
  readonly feed = new Feed();
  readonly views: ViewStore;
  readonly files: FileStore;
  readonly interactions: InteractionStore;
  readonly now: Clock;
  readonly nextTs: () => string;
  private readonly people: PeopleStore;
  private readonly channelStore: ChannelStore;
  private readonly messages: MessageStore;
  private readonly ephemeralStore: EphemeralStore;

  constructor(options: StoreOptions = {}) {
    const seed = options.seed ?? defaultSeed();
    this.now = options.now ?? Date.now;
    this.nextTs = createTsClock(this.now);
    this.team = seed.team;
    this.bot = seed.bot;
    this.people = new PeopleStore(this.team.id, seed);
    this.messages = new MessageStore(this.feed, this.nextTs, this.team.id, this.bot);
    this.channelStore = new ChannelStore(this.feed, this.now, seed.channels, (id) => this.messages.open(id));
    this.ephemeralStore = new EphemeralStore(this.feed, this.nextTs, this.bot);
    this.views = new ViewStore(this.feed, this.team.id);
    this.files = new FileStore(this.now);
    this.interactions = new InteractionStore(this.now, options.triggerTtlMs ?? 3000);
  }

  onChange(listener: FeedListener): () => void {
    return this.feed.subscribe(listener);
  }

  // ---- users and groups

  addUser(user: Pick<User, 'id' | 'name'> & Partial<User>): User {
    return this.people.addUser(user);
  }

  user(id: string): User | undefined {
    return this.people.user(id);
  }

  users(): User[] {
    return this.people.users();
  }

  /** A user by id, name or @name: what tests and the sandbox's user switcher have at hand. */
  resolveUser(idOrName: string): User | undefined {
    return this.people.resolveUser(idOrName);
  }

  addUserGroup(group: Pick<UserGroup, 'id' | 'handle' | 'users'> & Partial<UserGroup>): UserGroup {
    return this.people.addUserGroup(group);
  }

  userGroup(id: string): UserGroup | undefined {
    return this.people.userGroup(id);
  }

  userGroups(): UserGroup[] {
    return this.people.userGroups();
  }

  // ---- channels

  createChannel(input: { name: string; is_private?: boolean; creator: string; members?: string[] }): Channel {
    return this.channelStore.create(input);
  }

  setTopic(channelId: string, topic: string): Channel | undefined {
    return this.channelStore.setTopic(channelId, topic);
  }

  channel(id: string): Channel | undefined {
    return this.channelStore.get(id);
  }

  /** A channel by id, name or #name, as chat.postMessage accepts. */
  resolveChannel(idOrName: string): Channel | undefined {
    return this.channelStore.resolve(idOrName);
  }

  channels(): Channel[] {
    return this.channelStore.all();
  }

  isMember(channelId: string, userId: string): boolean {
    return this.channelStore.isMember(channelId, userId);
  }

  /** Adds the user; false when already a member. */
  join(channelId: string, userId: string, inviter?: string): boolean {
    return this.channelStore.join(channelId, userId, inviter);
  }

  // ---- messages

  /** Posts as `user`; messages by the bot user carry its bot_id and app_id, like Slack's. */
  postMessage(input: NewMessage): Message {
    return this.messages.post(input);
  }

  updateMessage(
    channelId: string,
    ts: string,
    change: { text?: string; blocks?: JsonObject[] },
    editor: string,
  ): Message | undefined {
    return this.messages.update(channelId, ts, change, editor);
  }

  deleteMessage(channelId: string, ts: string): boolean {
    return this.messages.delete(channelId, ts);
  }

  message(channelId: string, ts: string): Message | undefined {
    return this.messages.get(channelId, ts);
  }

  /** What the channel shows, oldest first: roots and replies also sent to the channel. */
  history(channelId: string): Message[] {
    return this.messages.history(channelId);
  }

  /** The thread's root then its replies, oldest first; empty when the root is unknown. */
  replies(channelId: string, ts: string): Message[] {
    return this.messages.replies(channelId, ts);
  }

  // ---- ephemeral messages

  postEphemeral(input: NewEphemeral): Ephemeral {
    return this.ephemeralStore.post(input);
  }

  replaceEphemeral(ts: string, change: { text: string; blocks?: JsonObject[] }): Ephemeral | undefined {
    return this.ephemeralStore.replace(ts, change);
  }

  deleteEphemeral(ts: string): boolean {
    return this.ephemeralStore.delete(ts);
  }

  ephemeral(ts: string): Ephemeral | undefined {
    return this.ephemeralStore.get(ts);
  }

  /** Ephemeral messages, oldest first, for one user or everyone. */
  ephemerals(user?: string): Ephemeral[] {
    return this.ephemeralStore.forUser(user);
  }
}
