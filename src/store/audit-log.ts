// The append-only audit log: one Redis stream, plus a list of stream ids per release and per incident
// so `/release audit <id>` does not scan the whole stream. Nothing here ever deletes or rewrites.
import type { Redis } from 'ioredis';
import type { SecretSet } from '../log.ts';
import {
  packAuditEntries,
  parseAuditRow,
  prepareAuditEntry,
  type AuditEntry,
  type AuditEntryInput,
} from './audit-entry.ts';
import { DEFAULT_PREFIX, storeKeys, type StoreKeys } from './keys.ts';
import { StoreError } from '../errors.ts';
import { runScript, scripts } from './scripts.ts';

export type { AuditEntry, AuditEntryInput } from './audit-entry.ts';

const PAGE = 500;

export interface AuditLogOptions {
  now?: () => Date;
  /** Defaults to the process-wide set in log.ts, filled when config loads. */
  secretSet?: SecretSet;
}

type StreamRow = [id: string, fields: string[]];

export class AuditLog {
  private readonly keys: StoreKeys;
  private readonly now: () => Date;
  private readonly secretSet: SecretSet | undefined;

  constructor(
    private readonly redis: Redis,
    prefix: string = DEFAULT_PREFIX,
    options: AuditLogOptions = {},
  ) {
    this.keys = storeKeys(prefix);
    this.now = options.now ?? (() => new Date());
    this.secretSet = options.secretSet;
  }

  async append(input: AuditEntryInput): Promise<AuditEntry> {
    const prepared = prepareAuditEntry(this.keys, input, this.now(), this.secretSet);
    const reply = await runScript(
      this.redis,
      scripts.appendAudit,
      [this.keys.audit()],
      packAuditEntries([prepared]),
    );
    const id = Array.isArray(reply) ? reply[0] : undefined;
    if (typeof id !== 'string')
      throw new StoreError('bad_reply', 'audit append: unexpected reply from Redis');
    return parseAuditRow(id, ['json', prepared.json]);
  }

  /** Every entry that names the release, oldest first. */
  forRelease(releaseId: string): Promise<AuditEntry[]> {
    return this.byIndex(this.keys.auditByRelease(releaseId));
  }

  /** Every entry that names the incident, oldest first. */
  forIncident(incidentId: string): Promise<AuditEntry[]> {
    return this.byIndex(this.keys.auditByIncident(incidentId));
  }

  /** The newest entries, newest first. */
  async latest(limit = 20): Promise<AuditEntry[]> {
    const rows = (await this.redis.xrevrange(this.keys.audit(), '+', '-', 'COUNT', limit)) as StreamRow[];
    return rows.map(([id, fields]) => parseAuditRow(id, fields));
  }

  /**
   * Every entry appended at or after `since` (all of them without it), oldest first, read in pages so
   * an export of a large log holds one page in memory. Stream ids are Redis's clock in ms, so `since`
   * compares with the time Redis appended the entry, which is within a few ms of the entry's `at`.
   */
  async *since(since?: Date): AsyncGenerator<AuditEntry> {
    let start = since ? `${Math.max(0, since.getTime())}-0` : '-';
    for (;;) {
      const rows = (await this.redis.xrange(this.keys.audit(), start, '+', 'COUNT', PAGE)) as StreamRow[];
      for (const [id, fields] of rows) yield parseAuditRow(id, fields);
      const last = rows.at(-1);
      if (rows.length < PAGE || !last) return;
      start = `(${last[0]}`;
    }
  }

  private async byIndex(indexKey: string): Promise<AuditEntry[]> {
    const ids = await this.redis.lrange(indexKey, 0, -1);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.xrange(this.keys.audit(), id, id);
    const replies = (await pipeline.exec()) ?? [];
    const entries: AuditEntry[] = [];
    for (const [err, rows] of replies) {
      if (err) throw err;
      const row = (rows as StreamRow[])[0];
      if (row) entries.push(parseAuditRow(row[0], row[1]));
    }
    return entries;
  }
}
