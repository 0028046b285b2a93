// The upload v2 flow WebClient's files.uploadV2 drives: getUploadURLExternal reserves a file and names
// an upload URL on this server, the bytes are POSTed there, completeUploadExternal shares the file.
import { fileObject } from './api-shapes.ts';
import { isObject, int, json, str } from './args.ts';
import { blocksArg } from './methods-chat.ts';
import { messageFile } from './file-store.ts';
import { fail, failWith, isResult, ok, writableChannel, type Method } from './method-kit.ts';
import type { FileRecord, JsonObject } from './types.ts';

const getUploadUrl: Method = (ctx) => {
  const filename = str(ctx.args, 'filename');
  const length = int(ctx.args, 'length');
  if (!filename) return failWith('invalid_arguments', ['missing required field: filename']);
  if (length === undefined || length < 0)
    return failWith('invalid_arguments', ['missing required field: length']);
  const file = ctx.store.files.reserve({ name: filename, length, user: ctx.store.bot.user_id });
  return ok({ upload_url: `${ctx.baseUrl}/upload/v1/${file.id}`, file_id: file.id });
};

function fileEntries(raw: unknown): { id: string; title?: string }[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const entries: { id: string; title?: string }[] = [];
  for (const entry of raw as unknown[]) {
    if (!isObject(entry) || typeof entry.id !== 'string') return undefined;
    entries.push({ id: entry.id, ...(typeof entry.title === 'string' ? { title: entry.title } : {}) });
  }
  return entries;
}

const completeUpload: Method = (ctx) => {
  const entries = fileEntries(json(ctx.args, 'files', 'invalid_arguments'));
  if (!entries) return failWith('invalid_arguments', ['must provide files as [{"id": …}]']);
  for (const entry of entries) {
    const file = ctx.store.files.get(entry.id);
    if (!file) return fail('file_not_found');
    // Slack cannot share a file whose bytes never arrived.
    if (!file.uploaded) return fail('file_upload_not_complete');
  }
  const channelArg = str(ctx.args, 'channel_id') ?? str(ctx.args, 'channels');
  const channel = channelArg ? writableChannel({ ...ctx, args: { channel: channelArg } }) : undefined;
  if (channel && isResult(channel)) return channel;
  const blocks = blocksArg(ctx);
  if (blocks !== undefined && !Array.isArray(blocks)) return blocks;
  const threadTs = str(ctx.args, 'thread_ts');
  if (channel && threadTs && !ctx.store.message(channel.id, threadTs)) return fail('thread_not_found');
  const completed: FileRecord[] = entries.flatMap((entry) => {
    const file = ctx.store.files.complete(entry.id, {
      ...(entry.title ? { title: entry.title } : {}),
      ...(channel ? { channel: channel.id } : {}),
      ...(channel && threadTs ? { thread_ts: threadTs } : {}),
    });
    return file ? [file] : [];
  });
  if (channel) {
    const text = str(ctx.args, 'initial_comment') ?? '';
    ctx.store.postMessage({
      channel: channel.id,
      user: ctx.store.bot.user_id,
      text,
      files: completed.map(messageFile),
      ...(blocks && blocks.length > 0 ? { blocks: blocks as JsonObject[] } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    for (const file of completed) ctx.store.feed.emit({ type: 'file_shared', channel: channel.id, file });
  }
  return ok({ files: completed.map((f) => fileObject(f, ctx.baseUrl)) });
};

const filesInfo: Method = (ctx) => {
  const file = ctx.store.files.get(str(ctx.args, 'file') ?? '');
  if (!file) return fail('file_not_found');
  return ok({ file: fileObject(file, ctx.baseUrl), content: file.content.toString('utf8') });
};

export const fileMethods: Record<string, Method> = {
  'files.getUploadURLExternal': getUploadUrl,
  'files.completeUploadExternal': completeUpload,
  'files.info': filesInfo,
};
