// Shares a queued file post the way Slack asks since files.upload was retired (what WebClient's
// files.uploadV2 does): files.getUploadURLExternal names an upload URL, the bytes are POSTed there,
// files.completeUploadExternal shares the file in the channel or thread with the post's text as its
// comment. Every failure comes back as a delivery outcome: 429s and 5xx hold the lane and retry.
// Only files.completeUploadExternal shares anything: a failure before it has posted nothing.
import type { WebClient } from '@slack/web-api';
import { outcomeOf } from './outcome.ts';
import type { Post, SlackOutcome } from './types.ts';

const UPLOAD_TIMEOUT_MS = 30_000;

export async function shareFile(
  client: WebClient,
  post: Post,
  content: Buffer | null,
  text: string,
  threadTs: string | undefined,
): Promise<SlackOutcome> {
  const file = post.file;
  if (!file) return { type: 'permanent', code: 'not_a_file_post' };
  // The bytes outlived their TTL (a lane held for days): nothing left to share.
  if (!content) return { type: 'permanent', code: 'file_content_missing' };
  try {
    const reserved = await client.files.getUploadURLExternal({ filename: file.name, length: content.length });
    if (!reserved.upload_url || !reserved.file_id)
      return { type: 'transient', reason: 'no_upload_url', mayHaveTaken: false };
    const uploaded = await putBytes(reserved.upload_url, content);
    if (uploaded) return uploaded;
    await client.files.completeUploadExternal({
      files: [{ id: reserved.file_id, title: file.title }],
      channel_id: post.channel,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      initial_comment: text,
    });
    return { type: 'ok' };
  } catch (error) {
    return outcomeOf(error);
  }
}

/** POSTs the bytes to the upload URL; null when they arrived, else what that means for delivery. */
async function putBytes(url: string, content: Buffer): Promise<SlackOutcome | null> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body: new Uint8Array(content),
      headers: { 'Content-Type': 'application/octet-stream' },
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
  } catch (error) {
    return { type: 'transient', reason: `upload_${(error as Error).name || 'network'}`, mayHaveTaken: false };
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.ok) return null;
  if (res.status === 429 || res.status >= 500)
    return { type: 'transient', reason: `upload_http_${res.status}`, mayHaveTaken: false };
  return { type: 'permanent', code: `upload_http_${res.status}` };
}
