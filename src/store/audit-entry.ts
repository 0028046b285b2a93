// The one serialisation of an audit entry, shared by AuditLog.append and the release-store scripts so
// both paths write the same field (`json`), scrub secrets the same way and index by the same ids.
import { secrets as defaultSecrets, type SecretSet } from '../log.ts';
import type { StoreKeys } from './keys.ts';
import { StoreError } from '../errors.ts';

export interface AuditEntryInput {
  /** A Slack user id, or "runway" for what the bot does by itself. */
  actor: string;
  /** What happened, e.g. "release.approved", "action.finished", "freeze". */
  action: string;
  releaseId?: string;
  service?: string;
  environment?: string;
  incidentId?: string;
  details?: Record<string, unknown>;
}

export interface AuditEntry extends AuditEntryInput {
  /** The stream id: `<ms>-<seq>`, Redis's clock when the entry was appended. */
  id: string;
  /** The writer's clock (ISO) when the entry was made. */
  at: string;
}

/** An entry ready for XADD, with the index lists its stream id must be pushed to. */
export interface PreparedAuditEntry {
  json: string;
  indexKeys: string[];
}

const STRING_FIELDS = ['actor', 'action', 'releaseId', 'service', 'environment', 'incidentId'] as const;

/**
 * Scrubs every secret value out of the entry and serialises it. Details go through
 * JSON → scrub → parse (a secret may sit anywhere in them); the named fields are scrubbed one by one
 * so a secret can never rewrite the entry's own field names.
 */
export function prepareAuditEntry(
  keys: StoreKeys,
  input: AuditEntryInput,
  at: Date,
  secretSet: SecretSet = defaultSecrets,
): PreparedAuditEntry {
  const entry: Omit<AuditEntry, 'id'> = { at: at.toISOString(), actor: '', action: '' };
  for (const field of STRING_FIELDS) {
    const value = input[field];
    if (value !== undefined) entry[field] = secretSet.scrub(value);
  }
  if (input.details !== undefined) entry.details = scrubDetails(input.details, secretSet);

  const indexKeys: string[] = [];
  if (input.releaseId) indexKeys.push(keys.auditByRelease(input.releaseId));
  if (input.incidentId) indexKeys.push(keys.auditByIncident(input.incidentId));
  return { json: JSON.stringify(entry), indexKeys };
}

function scrubDetails(details: Record<string, unknown>, secretSet: SecretSet): Record<string, unknown> {
  const scrubbed = secretSet.scrub(JSON.stringify(details));
  try {
    const parsed: unknown = JSON.parse(scrubbed);
    if (isRecord(parsed)) return parsed;
  } catch {
    // A secret that spans JSON punctuation can break the text; dropping the details is the safe answer.
  }
  return { redacted: 'details removed: they could not be scrubbed of secrets safely' };
}

/** The ARGV tail the Lua helper `appendAudit` expects: count, then per entry json, n, n index keys. */
export function packAuditEntries(entries: PreparedAuditEntry[]): string[] {
  const args = [String(entries.length)];
  for (const e of entries) args.push(e.json, String(e.indexKeys.length), ...e.indexKeys);
  return args;
}

/** Reads one XRANGE row back into an entry. */
export function parseAuditRow(id: string, fields: string[]): AuditEntry {
  const at = fields.indexOf('json');
  const text = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
  if (text === undefined) throw new StoreError('malformed_record', `audit entry ${id} has no json field`);
  const parsed: unknown = JSON.parse(text);
  if (!isRecord(parsed) || typeof parsed.actor !== 'string' || typeof parsed.action !== 'string') {
    throw new StoreError('malformed_record', `audit entry ${id} is malformed`);
  }
  return { id, ...(parsed as Omit<AuditEntry, 'id'>) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
