// Uploads a file into a thread the way Slack asks since files.upload was retired: files.getUploadURLExternal
// names an upload URL, the bytes are POSTed there, files.completeUploadExternal shares the file in the
// channel (and thread) with a comment. The same steps WebClient's files.uploadV2 takes.
import type { WebClient } from '@slack/web-api';

export interface ThreadFile {
  channel: string;
  threadTs: string;
  filename: string;
  title: string;
  content: Buffer;
  comment: string;
}

export async function uploadToThread(client: WebClient, file: ThreadFile): Promise<string> {
  const reserved = await client.files.getUploadURLExternal({
    filename: file.filename,
    length: file.content.length,
  });
  if (!reserved.upload_url || !reserved.file_id)
    throw new Error('files.getUploadURLExternal gave no upload URL');
  const posted = await fetch(reserved.upload_url, {
    method: 'POST',
    body: new Uint8Array(file.content),
    headers: { 'Content-Type': 'application/octet-stream' },
    signal: AbortSignal.timeout(30_000),
  });
  if (!posted.ok) throw new Error(`the upload URL answered HTTP ${posted.status}`);
  await client.files.completeUploadExternal({
    files: [{ id: reserved.file_id, title: file.title }],
    channel_id: file.channel,
    thread_ts: file.threadTs,
    initial_comment: file.comment,
  });
  return reserved.file_id;
}
