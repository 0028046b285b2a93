import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../../src/log.ts';
import { packAuditEntries, parseAuditRow, prepareAuditEntry } from '../../../src/store/audit-entry.ts';
import { storeKeys } from '../../../src/store/keys.ts';

const keys = storeKeys('p');
const at = new Date('2025-03-04T10:00:00Z');

function secretSet(...values: string[]): SecretSet {
  const set = new SecretSet();
  set.add(...values);
  return set;
}

describe('an audit entry', () => {
  it('is serialised with its time and indexed by release and incident', () => {
    const prepared = prepareAuditEntry(
      keys,
      { actor: 'U1', action: 'rollback', releaseId: 'r1', incidentId: 'INC-2' },
      at,
      secretSet(),
    );
    expect(JSON.parse(prepared.json)).toEqual({
      at: '2025-03-04T10:00:00.000Z',
      actor: 'U1',
      action: 'rollback',
      releaseId: 'r1',
      incidentId: 'INC-2',
    });
    expect(prepared.indexKeys).toEqual(['p:audit:release:r1', 'p:audit:incident:INC-2']);
  });

  it('has no index when it names neither a release nor an incident', () => {
    expect(prepareAuditEntry(keys, { actor: 'U1', action: 'freeze' }, at, secretSet()).indexKeys).toEqual([]);
  });

  it('loses every secret value in its details, at any depth, keeping the rest', () => {
    const prepared = prepareAuditEntry(
      keys,
      {
        actor: 'runway',
        action: 'action.finished',
        details: { cmd: 'deploy --token=abcd-1234', out: [{ line: 'abcd-1234 ok' }], exitCode: 0 },
      },
      at,
      secretSet('abcd-1234'),
    );
    expect(prepared.json).not.toContain('abcd-1234');
    expect(JSON.parse(prepared.json).details).toEqual({
      cmd: 'deploy --token=[redacted]',
      out: [{ line: '[redacted] ok' }],
      exitCode: 0,
    });
  });

  it('drops details that scrubbing would turn into broken JSON', () => {
    // A "secret" spanning JSON punctuation: replacing it breaks the text, so nothing of it is kept.
    const prepared = prepareAuditEntry(
      keys,
      { actor: 'runway', action: 'x', details: { a: 'xyz', b: 1 } },
      at,
      secretSet('xyz","b'),
    );
    expect(prepared.json).not.toContain('xyz');
    expect(JSON.parse(prepared.json).details).toEqual({
      redacted: expect.stringContaining('could not be scrubbed'),
    });
  });

  it('packs entries for the Lua helper: count, then json, number of indexes, indexes', () => {
    const a = { json: '{"a":1}', indexKeys: ['k1', 'k2'] };
    const b = { json: '{"b":2}', indexKeys: [] };
    expect(packAuditEntries([a, b])).toEqual(['2', '{"a":1}', '2', 'k1', 'k2', '{"b":2}', '0']);
    expect(packAuditEntries([])).toEqual(['0']);
  });

  it('is read back from a stream row with its id', () => {
    expect(parseAuditRow('1-0', ['json', '{"at":"t","actor":"U1","action":"x"}'])).toEqual({
      id: '1-0',
      at: 't',
      actor: 'U1',
      action: 'x',
    });
    const malformed = { name: 'StoreError', code: 'malformed_record' };
    expect(() => parseAuditRow('1-0', ['other', '{}'])).toThrow(expect.objectContaining(malformed));
    expect(() => parseAuditRow('1-0', ['json', '[]'])).toThrow(expect.objectContaining(malformed));
  });
});
