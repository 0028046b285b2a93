// How Slack shows an app's ack: a slash command's reply body becomes a message (ephemeral unless
// response_type is in_channel), a failure becomes Slackbot's notice, and a view_submission ack closes
// the modal or answers with errors, an update, a push or a clear.
import type { AppResponse } from './app-driver.ts';
import { isObject } from './args.ts';
import { withGeneratedIds } from './block-walk.ts';
import type { WorkspaceStore } from './store.ts';
import type { JsonObject, StoredView } from './types.ts';

/** Slack shows a command's ack body: ephemeral by default, in the channel with response_type in_channel. */
export function showCommandAck(
  store: WorkspaceStore,
  where: { user: string; channel: string; command: string },
  response: AppResponse,
): void {
  const { user, channel, command } = where;
  if (response.status !== 200) {
    const error = response.error ?? 'http_service_error';
    store.postEphemeral({
      channel,
      user,
      text: `${command} failed with the error "${error}"`,
      fromSlackbot: true,
    });
    return;
  }
  const body = response.body.trim();
  if (!body) return;
  let parsed: unknown = body;
  try {
    parsed = JSON.parse(body);
  } catch {
    /* a plain-text ack is shown as is */
  }
  if (!isObject(parsed)) {
    store.postEphemeral({ channel, user, text: body });
    return;
  }
  const text = typeof parsed.text === 'string' ? parsed.text : '';
  const blocks = Array.isArray(parsed.blocks) ? withGeneratedIds(parsed.blocks as JsonObject[]) : undefined;
  if (!text && !blocks) return;
  const content = { text, ...(blocks ? { blocks } : {}) };
  if (parsed.response_type === 'in_channel')
    store.postMessage({ channel, user: store.bot.user_id, ...content });
  else store.postEphemeral({ channel, user, ...content });
}

/** A view_submission ack: empty closes the modal; response_action errors, update, push or clear. */
export function applyViewAck(store: WorkspaceStore, view: StoredView, response: AppResponse): void {
  if (response.status !== 200) return;
  const body = response.body.trim();
  let parsed: unknown;
  try {
    parsed = body ? JSON.parse(body) : {};
  } catch {
    parsed = {};
  }
  const ack = isObject(parsed) ? parsed : {};
  const next = isObject(ack.view) ? ({ ...ack.view } as JsonObject) : undefined;
  if (next && Array.isArray(next.blocks)) next.blocks = withGeneratedIds(next.blocks as JsonObject[]);
  switch (ack.response_action) {
    case 'errors':
      return store.views.setErrors(
        view.id,
        isObject(ack.errors) ? (ack.errors as Record<string, string>) : {},
      );
    case 'update':
      if (next) store.views.update(view.id, next);
      return;
    case 'push':
      if (next) store.views.open(view.user, next, view);
      return;
    case 'clear':
      return store.views.close(view.id, true);
    default:
      return store.views.close(view.id);
  }
}
