// A response_url, as Slack serves it: the app POSTs {text, blocks, response_type, replace_original,
// delete_original} and the message appears for the user (ephemeral), for the channel (in_channel),
// or replaces or deletes the message the action came from.
import { isObject } from './args.ts';
import { checkBlocks } from './block-limits.ts';
import { withGeneratedIds } from './block-walk.ts';
import type { WorkspaceStore } from './store.ts';
import type { JsonObject, ResponseTarget } from './types.ts';

export interface ResponseUrlAnswer {
  status: number;
  body: { ok: boolean; error?: string };
}

const refuse = (status: number, error: string): ResponseUrlAnswer => ({ status, body: { ok: false, error } });

export function handleResponseUrl(store: WorkspaceStore, id: string, raw: Buffer): ResponseUrlAnswer {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return refuse(400, 'invalid_payload');
  }
  if (!isObject(body)) return refuse(400, 'invalid_payload');
  let blocks: JsonObject[] | undefined;
  if (body.blocks !== undefined) {
    const checked = checkBlocks(body.blocks, 'message');
    if (!checked.ok) return refuse(400, checked.error);
    blocks = withGeneratedIds(checked.blocks);
  }
  const use = store.interactions.useResponseUrl(id);
  if ('error' in use) return refuse(404, use.error);
  const target = use.target;
  if (body.delete_original === true) return deleteOriginal(store, target);
  const text = typeof body.text === 'string' ? body.text : '';
  if (!text && (!blocks || blocks.length === 0)) return refuse(400, 'no_text');
  const content = { text, ...(blocks ? { blocks } : {}) };
  if (body.replace_original === true && target.messageTs) return replaceOriginal(store, target, content);
  const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : target.threadTs;
  if (body.response_type === 'in_channel') {
    store.postMessage({
      channel: target.channel,
      user: store.bot.user_id,
      ...content,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  } else {
    store.postEphemeral({
      channel: target.channel,
      user: target.user,
      ...content,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }
  return { status: 200, body: { ok: true } };
}

function deleteOriginal(store: WorkspaceStore, target: ResponseTarget): ResponseUrlAnswer {
  if (!target.messageTs) return refuse(404, 'message_not_found');
  const deleted = target.isEphemeral
    ? store.deleteEphemeral(target.messageTs)
    : store.deleteMessage(target.channel, target.messageTs);
  return deleted ? { status: 200, body: { ok: true } } : refuse(404, 'message_not_found');
}

function replaceOriginal(
  store: WorkspaceStore,
  target: ResponseTarget,
  content: { text: string; blocks?: JsonObject[] },
): ResponseUrlAnswer {
  const ts = target.messageTs ?? '';
  const replaced = target.isEphemeral
    ? store.replaceEphemeral(ts, content)
    : store.updateMessage(
        target.channel,
        ts,
        { text: content.text, blocks: content.blocks ?? [] },
        store.bot.user_id,
      );
  return replaced ? { status: 200, body: { ok: true } } : refuse(404, 'message_not_found');
}
