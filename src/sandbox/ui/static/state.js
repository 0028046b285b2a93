// The page's model of the workspace, fed by the server's snapshot and live events. Pure data: no DOM
// here, so what a channel or a thread shows is decided in one place.

export function createState() {
  return {
    me: null,
    team: '',
    users: [],
    channels: [],
    /** channel id → Map(ts → message), roots and replies. */
    messages: new Map(),
    /** ts → ephemeral message (only the current user's arrive). */
    ephemerals: new Map(),
    views: [],
    home: null,
    demo: null,
    /** A channel id, or 'home' for the app's Home tab. */
    current: null,
    /** { channel, ts } of the open thread, or null. */
    thread: null,
    unread: new Set(),
  };
}

export const isReply = (m) => Boolean(m.threadTs) && m.threadTs !== m.ts;
export const compareTs = (a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0);

export function applySnapshot(state, snap) {
  state.me = snap.me;
  state.team = snap.team;
  state.users = snap.users;
  state.channels = snap.channels;
  state.messages = new Map(
    Object.entries(snap.messages).map(([channel, list]) => [channel, new Map(list.map((m) => [m.ts, m]))]),
  );
  state.ephemerals = new Map(snap.ephemerals.map((m) => [m.ts, m]));
  state.views = snap.views;
  state.home = snap.home;
  state.demo = snap.demo;
  if (!state.channels.some((c) => c.id === state.current) && state.current !== 'home') {
    state.current = (state.channels.find((c) => c.name === 'releases') ?? state.channels[0])?.id ?? null;
  }
  if (state.thread && !state.messages.get(state.thread.channel)?.has(state.thread.ts)) state.thread = null;
}

/** Applies one live event; returns what needs drawing again. */
export function applyEvent(state, event) {
  switch (event.type) {
    case 'snapshot':
      applySnapshot(state, event.snapshot);
      return { all: true };
    case 'message': {
      const m = event.message;
      if (!state.messages.has(m.channel)) state.messages.set(m.channel, new Map());
      const list = state.messages.get(m.channel);
      const isNew = !list.has(m.ts);
      list.set(m.ts, m);
      if (isNew && m.channel !== state.current && (!isReply(m) || m.broadcast)) state.unread.add(m.channel);
      return { channel: m.channel, thread: m.threadTs ?? m.ts, sidebar: isNew };
    }
    case 'message_deleted':
      state.messages.get(event.channel)?.delete(event.ts);
      return { channel: event.channel, thread: null };
    case 'ephemeral':
      state.ephemerals.set(event.message.ts, event.message);
      return { channel: event.message.channel, thread: event.message.threadTs ?? null };
    case 'ephemeral_deleted':
      state.ephemerals.delete(event.ts);
      return { channel: event.channel, thread: null };
    case 'channels':
      state.channels = event.channels;
      for (const c of event.channels) if (!state.messages.has(c.id)) state.messages.set(c.id, new Map());
      // The open channel's header shows its topic, which may have changed.
      return { sidebar: true, channel: state.current };
    case 'view': {
      const at = state.views.findIndex((v) => v.id === event.view.id);
      if (at >= 0) state.views[at] = event.view;
      else state.views.push(event.view);
      return { views: true };
    }
    case 'view_closed':
      state.views = state.views.filter((v) => v.id !== event.id);
      return { views: true };
    case 'home':
      state.home = event.view;
      return { home: true };
    case 'demo':
      state.demo = event.demo;
      return { demo: true };
    default:
      return {};
  }
}

/** What a channel shows: roots, replies also sent to the channel, and my ephemerals there. */
export function channelItems(state, channel) {
  const messages = [...(state.messages.get(channel)?.values() ?? [])].filter(
    (m) => !isReply(m) || m.broadcast,
  );
  const mine = [...state.ephemerals.values()].filter((e) => e.channel === channel && !e.threadTs);
  return [...messages, ...mine].sort(compareTs);
}

/** A thread: its root, its replies, and my ephemerals in it. */
export function threadItems(state, channel, ts) {
  const all = [...(state.messages.get(channel)?.values() ?? [])];
  const replies = all.filter((m) => m.ts === ts || m.threadTs === ts);
  const mine = [...state.ephemerals.values()].filter((e) => e.channel === channel && e.threadTs === ts);
  return [...replies, ...mine].sort(compareTs);
}

export const channelById = (state, id) => state.channels.find((c) => c.id === id);
export const userById = (state, id) => state.users.find((u) => u.id === id);
