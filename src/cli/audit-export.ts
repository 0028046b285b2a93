// `npx runway audit export [--since <ISO date | duration>]`: the audit log as JSON lines, oldest
// first, streamed page by page so a large log never sits in memory whole.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { AuditLog } from '../store/audit-log.ts';
import { parseDuration } from '../config/duration.ts';

// A calendar date, optionally with a time and a zone: 2025-01-31, 2025-01-31T09:00, 2025-01-31T09:00:00.000Z.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export class InvalidSinceError extends Error {
  readonly code = 'INVALID_SINCE';
}

/**
 * Parses `--since`: an ISO date, or a duration back from now (`24h`, `7d`, as the runbook writes
 * durations). Date alone accepts things like "1" or "June", so the shape is checked first.
 */
export function parseSince(text: string, now: Date = new Date()): Date {
  const ago = parseDuration(text);
  if (ago !== null) return new Date(now.getTime() - ago);
  const date = ISO_DATE.test(text.trim()) ? new Date(text.trim()) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new InvalidSinceError(
      `--since expects an ISO date such as 2025-01-31 or 2025-01-31T09:00:00Z, or a duration such as 24h or 7d, got "${text}"`,
    );
  }
  return date;
}

export const AUDIT_EXPORT_USAGE = 'usage: runway audit export [--since <ISO date | duration like 24h>]';

/**
 * `export [--since X | --since=X]`, or what is wrong. Anything else is refused: an option that is
 * not read (`--since=…` once was) would export the whole log as if no filter had been asked for.
 */
export function parseExportArgs(args: readonly string[]): { since?: string } | { error: string } {
  if (args[0] !== 'export') return { error: AUDIT_EXPORT_USAGE };
  let since: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    let value: string | undefined;
    if (arg === '--since') value = args[++i];
    else if (arg.startsWith('--since=')) value = arg.slice('--since='.length);
    else return { error: `unknown argument "${arg}"\n${AUDIT_EXPORT_USAGE}` };
    if (!value) return { error: `--since needs a date or a duration\n${AUDIT_EXPORT_USAGE}` };
    if (since !== undefined) return { error: `--since is given twice\n${AUDIT_EXPORT_USAGE}` };
    since = value;
  }
  return since === undefined ? {} : { since };
}

export interface AuditExportOptions {
  redis: Redis;
  prefix?: string;
  /** ISO date or duration back from now: only entries appended at or after it. */
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
