// What the page receives: the workspace's objects as one person sees them, with their Block Kit and
// mrkdwn already rendered to safe HTML here (in typed, tested code) so the browser only places it.
import { compareTs } from '../workspace/ids.ts';
import type { WorkspaceStore } from '../workspace/store.ts';
import type { Channel, Ephemeral, JsonObject, Message, StoredView } from '../workspace/types.ts';
import { renderBlocks } from './render/blocks.ts';
import { textObject } from './render/elements.ts';
import { escapeHtml } from './render/escape.ts';
import { obj } from './render/json.ts';
import { mrkdwn, type Directory } from './render/mrkdwn.ts';

export interface UiUser {
  id: string;
  name: string;
  realName: string;
  isBot: boolean;
}

export interface UiChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isMember: boolean;
  purpose: string;
  topic: string;
  created: number;
}

export interface UiFile {
  id: string;
  name: string;
  title: string;
  size: number;
  url: string;
  /** image/png etc.: the page shows images inline, as Slack does. */
  mimetype: string;
}

export interface UiMessage {
  channel: string;
  ts: string;
  /** Set on replies (and on roots with replies, as Slack does). */
  threadTs?: string;
  user: string;
  userName: string;
  isBot: boolean;
  html: string;
  /** The plain fallback text, for tests and the page's title. */
  text: string;
  replyCount: number;
  replyUsers: string[];
  edited: boolean;
  /** A reply also sent to the channel. */
  broadcast: boolean;
  /** Only its recipient gets it. */
  ephemeral: boolean;
  files: UiFile[];
}

export interface UiView {
  id: string;
  type: 'modal' | 'home';
  title: string;
  submit: string | null;
  close: string;
  html: string;
  errors: Record<string, string>;
}

export interface DemoState {
  stable: string;
  canary: string | null;
  weight: number;
}

export interface UiSnapshot {
  me: string;
  team: string;
  users: UiUser[];
  channels: UiChannel[];
  /** Per channel, every message the user can see, roots and replies, oldest first. */
  messages: Record<string, UiMessage[]>;
  ephemerals: UiMessage[];
  /** The user's open modals, bottom of the stack first. */
  views: UiView[];
  home: UiView | null;
  demo: DemoState | null;
}

export function directory(store: WorkspaceStore): Directory {
  return {
    userName: (id) => store.user(id)?.name,
    channelName: (id) => store.channel(id)?.name,
    groupHandle: (id) => store.userGroup(id)?.handle,
  };
}

export function uiUser(store: WorkspaceStore, id: string): UiUser {
  const user = store.user(id);
  return { id, name: user?.name ?? id, realName: user?.real_name ?? id, isBot: user?.is_bot ?? false };
}

/** Public channels, and private ones the user is in: what the sidebar lists. */
export function canSee(channel: Channel, me: string): boolean {
  return !channel.is_archived && (!channel.is_private || channel.members.includes(me));
}

export function uiChannel(channel: Channel, me: string): UiChannel {
  return {
    id: channel.id,
    name: channel.name,
    isPrivate: channel.is_private,
    isMember: channel.members.includes(me),
    purpose: channel.purpose,
    topic: channel.topic,
    created: channel.created,
  };
}

export function uiChannels(store: WorkspaceStore, me: string): UiChannel[] {
  return store
    .channels()
    .filter((c) => canSee(c, me))
    .map((c) => uiChannel(c, me));
}

/** Blocks when there are any (Slack shows them instead of the text), else the text as mrkdwn. */
function body(text: string, blocks: JsonObject[] | undefined, dir: Directory): string {
  if (blocks && blocks.length > 0) return renderBlocks(blocks, { dir, surface: 'message' });
  return `<div class="mk">${mrkdwn(text, dir)}</div>`;
}

export function uiMessage(store: WorkspaceStore, m: Message): UiMessage {
  const dir = directory(store);
  const author = uiUser(store, m.user);
  return {
    channel: m.channel,
    ts: m.ts,
    ...(m.thread_ts ? { threadTs: m.thread_ts } : {}),
    user: m.user,
    // People by their handle (alice), apps by their display name (Runway), as Slack shows them.
    userName: author.isBot ? author.realName : author.name,
    isBot: Boolean(m.bot_id) || author.isBot,
    html: body(m.text, m.blocks, dir),
    text: m.text,
    replyCount: m.reply_count ?? 0,
    replyUsers: m.reply_users ?? [],
    edited: Boolean(m.edited),
    broadcast: m.subtype === 'thread_broadcast',
    ephemeral: false,
    files: (m.files ?? []).map((f) => ({
      id: f.id,
      name: f.name,
      title: f.title,
      size: f.size,
      url: `/files/${encodeURIComponent(f.id)}/${encodeURIComponent(f.name)}`,
      mimetype: f.mimetype,
    })),
  };
}

export function uiEphemeral(store: WorkspaceStore, e: Ephemeral): UiMessage {
  const fromSlackbot = !e.bot_id;
  return {
    channel: e.channel,
    ts: e.ts,
    ...(e.thread_ts ? { threadTs: e.thread_ts } : {}),
    user: fromSlackbot ? 'USLACKBOT' : store.bot.user_id,
    userName: fromSlackbot ? 'Slackbot' : uiUser(store, store.bot.user_id).realName,
    isBot: true,
    html: body(e.text, e.blocks, directory(store)),
    text: e.text,
    replyCount: 0,
    replyUsers: [],
    edited: false,
    broadcast: false,
    ephemeral: true,
    files: [],
  };
}

export function uiView(store: WorkspaceStore, view: StoredView): UiView {
  const dir = directory(store);
  const ctx = { dir, surface: view.type === 'modal' ? ('modal' as const) : ('home' as const) };
  const d = view.definition;
  const blocks = Array.isArray(d.blocks) ? (d.blocks.map(obj).filter(Boolean) as JsonObject[]) : [];
  return {
    id: view.id,
    type: view.type,
    title: textObject(obj(d.title), ctx) || escapeHtml(store.bot.name),
    submit: obj(d.submit) ? textObject(obj(d.submit), ctx) : null,
    close: obj(d.close) ? textObject(obj(d.close), ctx) : 'Cancel',
    html: renderBlocks(blocks, ctx, view.errors ?? {}),
    errors: view.errors ?? {},
  };
}

/** Every message of a channel: what history shows plus every thread's replies, oldest first. */
export function channelMessages(store: WorkspaceStore, channelId: string): UiMessage[] {
  const seen = new Map<string, Message>();
  for (const m of store.history(channelId)) {
    seen.set(m.ts, m);
    if (m.reply_count) for (const r of store.replies(channelId, m.ts)) seen.set(r.ts, r);
  }
  return [...seen.values()].sort((a, b) => compareTs(a.ts, b.ts)).map((m) => uiMessage(store, m));
}

export function snapshot(store: WorkspaceStore, me: string, demo: DemoState | null): UiSnapshot {
  const channels = uiChannels(store, me);
  const home = store.views.home(me);
  return {
    me,
    team: store.team.name,
    users: store.users().map((u) => uiUser(store, u.id)),
    channels,
    messages: Object.fromEntries(channels.map((c) => [c.id, channelMessages(store, c.id)])),
    ephemerals: store
      .ephemerals(me)
      .filter((e) => channels.some((c) => c.id === e.channel))
      .map((e) => uiEphemeral(store, e)),
    views: store.views.openModals(me).map((v) => uiView(store, v)),
    home: home ? uiView(store, home) : null,
    demo,
  };
}
