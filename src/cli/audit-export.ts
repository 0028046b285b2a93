// `npx runway audit export [--since <ISO date>]`: the audit log as JSON lines, oldest first, streamed
// page by page so a large log never sits in memory whole.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { AuditLog } from '../store/audit-log.ts';

// A calendar date, optionally with a time and a zone: 2025-01-31, 2025-01-31T09:00, 2025-01-31T09:00:00.000Z.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export class InvalidSinceError extends Error {
  readonly code = 'INVALID_SINCE';
}

/** Parses `--since`; Date alone accepts things like "1" or "June", so the shape is checked first. */
export function parseSince(text: string): Date {
  const date = ISO_DATE.test(text.trim()) ? new Date(text.trim()) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new InvalidSinceError(
      `--since expects an ISO date such as 2025-01-31 or 2025-01-31T09:00:00Z, got "${text}"`,
    );
  }
  return date;
}

export interface AuditExportOptions {
  redis: Redis;
  prefix?: string;
  /** ISO date: only entries appended at or after it. */
  since?: string;
  out: Writable;
}

/** Writes one JSON object per line; returns how many entries it wrote. */
export async function auditExport({ redis, prefix, since, out }: AuditExportOptions): Promise<number> {
  const from = since === undefined ? undefined : parseSince(since);
  const log = new AuditLog(redis, prefix);
  let count = 0;
  for await (const entry of log.since(from)) {
    if (!out.write(`${JSON.stringify(entry)}\n`)) await once(out, 'drain');
    count++;
  }
  return count;
}
