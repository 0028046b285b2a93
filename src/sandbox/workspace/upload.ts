// The upload URL of files.getUploadURLExternal. Slack takes the bytes raw or as multipart/form-data
// (WebClient sends a multipart form with one file part) and answers 200 "OK - <bytes>".
import type { IncomingMessage } from 'node:http';
import { contentType, parseMultipart } from './body.ts';
import type { WorkspaceStore } from './store.ts';

export interface UploadAnswer {
  status: number;
  text: string;
}

export async function handleUpload(
  store: WorkspaceStore,
  fileId: string,
  req: IncomingMessage,
  body: Buffer,
): Promise<UploadAnswer> {
  let bytes = body;
  if (contentType(req) === 'multipart/form-data') {
    const { parts } = await parseMultipart(req, body);
    const part = parts[0];
    if (!part) return { status: 400, text: 'no file in the form' };
    bytes = part.data;
  }
  if (!store.files.receive(fileId, bytes)) return { status: 404, text: 'upload not found' };
  return { status: 200, text: `OK - ${bytes.length}` };
}
