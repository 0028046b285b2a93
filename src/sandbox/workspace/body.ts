// Reading request bodies the three ways Slack's Web API accepts them: form-encoded (what WebClient sends,
// with nested values as JSON strings), JSON (with real nested values), and multipart (file bytes).
import type { IncomingMessage } from 'node:http';

export type Args = Record<string, unknown>;

export interface UploadedPart {
  name: string;
  filename?: string;
  data: Buffer;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

export function contentType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Parses form and JSON bodies (a query string counts too, as on slack.com). Throws on malformed JSON. */
export function parseArgs(type: string, body: Buffer, query: URLSearchParams): Args {
  const args: Args = Object.fromEntries(query);
  if (body.length === 0) return args;
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    return { ...args, ...(parsed as Args) };
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    return { ...args, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  return args;
}

/** Parses multipart/form-data with the platform's own parser (fetch's Response), no dependency needed. */
export async function parseMultipart(
  req: IncomingMessage,
  body: Buffer,
): Promise<{ fields: Args; parts: UploadedPart[] }> {
  const form = await new Response(new Uint8Array(body), {
    headers: { 'content-type': req.headers['content-type'] ?? '' },
  }).formData();
  const fields: Args = {};
  const parts: UploadedPart[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else parts.push({ name, filename: value.name, data: Buffer.from(await value.arrayBuffer()) });
  }
  return { fields, parts };
}
