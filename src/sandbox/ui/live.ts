// The page's live feed: the workspace's change feed as one person sees it (their ephemerals and modals
// only, channels they can see), streamed as server-sent events. The first event is a full snapshot, so
// nothing can fall between loading the page and subscribing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WorkspaceStore } from '../workspace/store.ts';
import type { WorkspaceEvent } from '../workspace/types.ts';
import {
  canSee,
  snapshot,
  uiChannels,
  uiEphemeral,
  uiMessage,
  uiView,
  type DemoState,
  type UiChannel,
  type UiMessage,
  type UiSnapshot,
  type UiView,
} from './model.ts';

export type UiEvent =
  | { type: 'snapshot'; snapshot: UiSnapshot }
  | { type: 'message'; message: UiMessage }
  | { type: 'message_deleted'; channel: string; ts: string }
  | { type: 'ephemeral'; message: UiMessage }
  | { type: 'ephemeral_deleted'; channel: string; ts: string }
  | { type: 'channels'; channels: UiChannel[] }
  | { type: 'view'; view: UiView }
  | { type: 'view_closed'; id: string }
  | { type: 'home'; view: UiView }
  | { type: 'demo'; demo: DemoState | null }
  /** Something changed that is simpler to send again whole (joined a private channel). */
  | { type: 'resync' };

const visible = (store: WorkspaceStore, channelId: string, me: string): boolean => {
  const channel = store.channel(channelId);
  return channel !== undefined && canSee(channel, me);
};

/** What one workspace change means for the page of `me`; empty when it is none of their business. */
export function toUiEvents(store: WorkspaceStore, me: string, event: WorkspaceEvent): UiEvent[] {
  switch (event.type) {
    case 'message':
    case 'message_changed':
      return visible(store, event.channel, me)
        ? [{ type: 'message', message: uiMessage(store, event.message) }]
        : [];
    case 'message_deleted':
      return visible(store, event.channel, me)
        ? [{ type: 'message_deleted', channel: event.channel, ts: event.ts }]
        : [];
    case 'ephemeral':
    case 'ephemeral_changed':
      return event.user === me ? [{ type: 'ephemeral', message: uiEphemeral(store, event.message) }] : [];
    case 'ephemeral_deleted':
      return event.user === me ? [{ type: 'ephemeral_deleted', channel: event.channel, ts: event.ts }] : [];
    case 'channel_created':
    case 'channel_topic':
      return [{ type: 'channels', channels: uiChannels(store, me) }];
    case 'member_joined': {
      const channel = store.channel(event.channel);
      if (event.user === me && channel?.is_private) return [{ type: 'resync' }];
      return [{ type: 'channels', channels: uiChannels(store, me) }];
    }
    case 'home':
      return event.user === me ? [{ type: 'home', view: uiView(store, event.view) }] : [];
    case 'view_opened':
    case 'view_updated':
      return event.user === me && event.view.type === 'modal'
        ? [{ type: 'view', view: uiView(store, event.view) }]
        : [];
    case 'view_closed':
      return event.user === me ? [{ type: 'view_closed', id: event.view.id }] : [];
    case 'file_shared':
      // The message that carries the file arrives as its own event.
      return [];
  }
}

export interface LiveDeps {
  store: () => WorkspaceStore;
  demo: () => DemoState | null;
}

const KEEPALIVE_MS = 20_000;
const DEMO_POLL_MS = 500;

export function streamEvents(req: IncomingMessage, res: ServerResponse, deps: LiveDeps, me: string): void {
  const store = deps.store();
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
  });
  const send = (event: UiEvent) => res.write(`data: ${JSON.stringify(event)}\n\n`);
  const sendSnapshot = () => send({ type: 'snapshot', snapshot: snapshot(store, me, deps.demo()) });
  res.write('retry: 1000\n\n');
  sendSnapshot();

  const unsubscribe = store.onChange((event) => {
    for (const ui of toUiEvents(store, me, event)) {
      if (ui.type === 'resync') sendSnapshot();
      else send(ui);
    }
  });
  // The demo service has no feed of its own: its split is read twice a second and sent when it moves.
  let lastDemo = JSON.stringify(deps.demo());
  const demoTimer = setInterval(() => {
    const demo = deps.demo();
    const json = JSON.stringify(demo);
    if (json !== lastDemo) send({ type: 'demo', demo });
    lastDemo = json;
  }, DEMO_POLL_MS);
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
  demoTimer.unref();
  keepalive.unref();
  const stop = () => {
    unsubscribe();
    clearInterval(demoTimer);
    clearInterval(keepalive);
  };
  req.on('close', stop);
  res.on('error', stop);
}
