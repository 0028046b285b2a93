// Files of the upload v2 flow: reserved by files.getUploadURLExternal, filled by a POST to the upload URL,
// shared by files.completeUploadExternal. Sharing (the channel message) is the Web API's job.
import { extname } from 'node:path';
import { newId, type Clock } from './ids.ts';
import type { FileRecord, MessageFile } from './types.ts';

const MIME_BY_EXT: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  json: 'application/json',
  log: 'text/plain',
  csv: 'text/csv',
  html: 'text/html',
  png: 'image/png',
  jpg: 'image/jpeg',
  pdf: 'application/pdf',
};

export class FileStore {
  private readonly byId = new Map<string, FileRecord>();

  constructor(private readonly now: Clock) {}

  reserve(input: { name: string; length: number; user: string }): FileRecord {
    const ext = extname(input.name).slice(1).toLowerCase();
    const file: FileRecord = {
      id: newId('F'),
      name: input.name,
      title: input.name,
      user: input.user,
      created: Math.floor(this.now() / 1000),
      size: 0,
      mimetype: MIME_BY_EXT[ext] ?? 'application/octet-stream',
      filetype: ext || 'binary',
      content: Buffer.alloc(0),
      uploaded: false,
      expected_length: input.length,
    };
    this.byId.set(file.id, file);
    return { ...file };
  }

  /** Stores the bytes; false when the file is unknown or its upload was already completed. */
  receive(id: string, bytes: Buffer): boolean {
    const file = this.byId.get(id);
    if (!file || file.channel !== undefined) return false;
    file.content = Buffer.from(bytes);
    file.size = bytes.length;
    file.uploaded = true;
    return true;
  }

  complete(
    id: string,
    share: { title?: string; channel?: string; thread_ts?: string },
  ): FileRecord | undefined {
    const file = this.byId.get(id);
    if (!file) return undefined;
    if (share.title) file.title = share.title;
    if (share.channel) file.channel = share.channel;
    if (share.thread_ts) file.thread_ts = share.thread_ts;
    return { ...file };
  }

  get(id: string): FileRecord | undefined {
    const file = this.byId.get(id);
    return file && { ...file };
  }

  all(): FileRecord[] {
    return [...this.byId.values()].map((f) => ({ ...f }));
  }
}

export function messageFile(file: FileRecord): MessageFile {
  const { id, name, title, user, created, size, mimetype, filetype } = file;
  return { id, name, title, user, created, size, mimetype, filetype };
}
