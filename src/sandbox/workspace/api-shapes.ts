// The store's records as Slack's Web API returns them (channel, user, message, file and view objects),
// with the fields @slack/web-api's response types name.
import type { WorkspaceStore } from './store.ts';
import type { Channel, FileRecord, Message, MessageFile, StoredView, User, UserGroup } from './types.ts';

export function channelObject(
  channel: Channel,
  store: WorkspaceStore,
  withMembers = false,
): Record<string, unknown> {
  return {
    id: channel.id,
    name: channel.name,
    name_normalized: channel.name,
    is_channel: !channel.is_private,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: channel.is_private,
    is_archived: channel.is_archived,
    is_general: false,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    unlinked: 0,
    created: channel.created,
    updated: channel.created * 1000,
    creator: channel.creator,
    is_member: channel.members.includes(store.bot.user_id),
    topic: { value: channel.topic, creator: channel.topic ? channel.creator : '', last_set: 0 },
    purpose: { value: channel.purpose, creator: channel.purpose ? channel.creator : '', last_set: 0 },
    previous_names: [],
    ...(withMembers ? { num_members: channel.members.length } : {}),
  };
}

export function userObject(user: User): Record<string, unknown> {
  return {
    id: user.id,
    team_id: user.team_id,
    name: user.name,
    deleted: false,
    real_name: user.real_name,
    tz: user.tz,
    tz_label: 'Central European Time',
    tz_offset: 3600,
    is_admin: false,
    is_owner: false,
    is_bot: user.is_bot,
    is_app_user: false,
    updated: 1732350000,
    profile: {
      real_name: user.real_name,
      real_name_normalized: user.real_name,
      display_name: user.name,
      display_name_normalized: user.name,
      team: user.team_id,
    },
  };
}

export function userGroupObject(group: UserGroup, includeUsers: boolean): Record<string, unknown> {
  return {
    id: group.id,
    team_id: group.team_id,
    is_usergroup: true,
    is_subteam: true,
    name: group.name,
    handle: group.handle,
    description: '',
    is_external: false,
    date_create: 1732350000,
    user_count: group.users.length,
    ...(includeUsers ? { users: [...group.users] } : {}),
  };
}

export function fileLinks(file: Pick<FileRecord, 'id' | 'name'>, baseUrl: string): Record<string, string> {
  const url = `${baseUrl}/files/${file.id}/${encodeURIComponent(file.name)}`;
  return { url_private: url, url_private_download: `${url}?download=1`, permalink: url };
}

function messageFileObject(file: MessageFile, baseUrl: string): Record<string, unknown> {
  return {
    ...file,
    timestamp: file.created,
    mode: 'hosted',
    is_external: false,
    ...fileLinks(file, baseUrl),
  };
}

/** A message as history, replies and interactivity payloads show it (without its channel field). */
export function messageObject(message: Message, baseUrl: string): Record<string, unknown> {
  const { channel: _channel, files, ...rest } = message;
  return { ...rest, ...(files ? { files: files.map((f) => messageFileObject(f, baseUrl)) } : {}) };
}

export function fileObject(file: FileRecord, baseUrl: string): Record<string, unknown> {
  const channels = file.channel ? [file.channel] : [];
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filetype,
    pretty_type: file.filetype.toUpperCase(),
    user: file.user,
    editable: false,
    size: file.size,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: channels.length > 0,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    comments_count: 0,
    is_starred: false,
    has_rich_preview: false,
    file_access: 'visible',
    channels,
    groups: [],
    ims: [],
    ...fileLinks(file, baseUrl),
  };
}

export function viewObject(view: StoredView, store: WorkspaceStore): Record<string, unknown> {
  const definition = view.definition;
  return {
    id: view.id,
    team_id: store.team.id,
    type: view.type,
    title: definition.title ?? null,
    submit: definition.submit ?? null,
    close: definition.close ?? null,
    blocks: definition.blocks ?? [],
    private_metadata: view.private_metadata,
    callback_id: view.callback_id,
    external_id: view.external_id,
    state: { values: {} },
    hash: view.hash,
    clear_on_close: definition.clear_on_close === true,
    notify_on_close: definition.notify_on_close === true,
    root_view_id: view.root_view_id,
    previous_view_id: view.previous_view_id,
    app_id: store.bot.app_id,
    app_installed_team_id: store.team.id,
    bot_id: store.bot.bot_id,
  };
}

/** Slack's permalink form: /archives/<channel>/p<ts without the dot>, plus the thread for a reply. */
export function permalink(baseUrl: string, message: Pick<Message, 'channel' | 'ts' | 'thread_ts'>): string {
  const link = `${baseUrl}/archives/${message.channel}/p${message.ts.replace('.', '')}`;
  const inThread = message.thread_ts && message.thread_ts !== message.ts;
  return inThread ? `${link}?thread_ts=${message.thread_ts}&cid=${message.channel}` : link;
}
