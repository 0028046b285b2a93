// The data of the Slack-like workspace, shaped like the objects Slack's Web API returns, so the
// store can hand them out with little translation.

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface User {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  is_bot: boolean;
  tz: string;
}

export interface UserGroup {
  id: string;
  team_id: string;
  handle: string;
  name: string;
  users: string[];
}

export interface Channel {
  id: string;
  name: string;
  is_private: boolean;
  is_archived: boolean;
  /** Unix seconds. */
  created: number;
  creator: string;
  members: string[];
  topic: string;
  purpose: string;
}

export interface Message {
  type: 'message';
  channel: string;
  ts: string;
  /** Set on replies, and on a root once it has replies (as Slack does). */
  thread_ts?: string;
  /** Set on replies: who wrote the thread's root. */
  parent_user_id?: string;
  subtype?: 'thread_broadcast';
  user: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  text: string;
  blocks?: JsonObject[];
  edited?: { user: string; ts: string };
  files?: MessageFile[];
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
}

export interface Ephemeral {
  type: 'message';
  channel: string;
  /** Only this user sees it. */
  user: string;
  ts: string;
  thread_ts?: string;
  /** The app's bot; absent on Slackbot's own notices (a failed command). */
  bot_id?: string;
  username?: string;
  text: string;
  blocks?: JsonObject[];
}

/** A file as a message carries it (no bytes). */
export interface MessageFile {
  id: string;
  name: string;
  title: string;
  user: string;
  created: number;
  size: number;
  mimetype: string;
  filetype: string;
}

export interface FileRecord {
  id: string;
  name: string;
  title: string;
  user: string;
  created: number;
  size: number;
  mimetype: string;
  filetype: string;
  /** Bytes arrive through the upload URL; empty until then. */
  content: Buffer;
  uploaded: boolean;
  channel?: string;
  thread_ts?: string;
  /** Length announced by files.getUploadURLExternal. */
  expected_length: number;
}

export type ViewType = 'modal' | 'home';

export interface StoredView {
  id: string;
  type: ViewType;
  /** The user who sees it. */
  user: string;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  hash: string;
  root_view_id: string;
  previous_view_id: string | null;
  /** The view definition as the app sent it (title, blocks, submit, …). */
  definition: JsonObject;
  /** Open modals: false once closed or submitted. */
  open: boolean;
  /** Validation errors the app answered a submission with (response_action: errors). */
  errors?: Record<string, string>;
}

export interface Trigger {
  id: string;
  user: string;
  issuedAt: number;
  used: boolean;
}

/** Where a response_url posts to: the channel and, for an action on a message, that message. */
export interface ResponseTarget {
  id: string;
  channel: string;
  user: string;
  /** The message the action came from, if any. */
  messageTs?: string;
  threadTs?: string;
  isEphemeral: boolean;
  issuedAt: number;
  uses: number;
}

/** The change feed, for a browser UI to stream and for tests to wait on. */
export type WorkspaceEvent =
  | { type: 'message'; channel: string; message: Message }
  | { type: 'message_changed'; channel: string; message: Message; previous: Message }
  | { type: 'message_deleted'; channel: string; ts: string; previous: Message }
  | { type: 'ephemeral'; channel: string; user: string; message: Ephemeral }
  | { type: 'ephemeral_changed'; channel: string; user: string; message: Ephemeral }
  | { type: 'ephemeral_deleted'; channel: string; user: string; ts: string }
  | { type: 'channel_created'; channel: Channel }
  | { type: 'channel_topic'; channel: Channel }
  | { type: 'member_joined'; channel: string; user: string; inviter?: string }
  | { type: 'file_shared'; channel: string; file: FileRecord }
  | { type: 'home'; user: string; view: StoredView }
  | { type: 'view_opened' | 'view_updated' | 'view_closed'; user: string; view: StoredView };
