import { describe, expect, it } from 'vitest';
import { SecretSet, secrets } from '../../../src/log.ts';
import { AuditLog } from '../../../src/store/audit-log.ts';
import { uniquePrefix, useRedis } from '../../helpers/redis.ts';

const redis = useRedis();

function auditLog(options: ConstructorParameters<typeof AuditLog>[2] = {}) {
  const client = redis.connect();
  const prefix = uniquePrefix();
  return { client, prefix, log: new AuditLog(client, prefix, options) };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('the audit log', () => {
  it('appends entries with who, what, when and the stream id', async () => {
    const { log } = auditLog({ now: () => new Date('2025-03-04T10:00:00Z') });
    const entry = await log.append({
      actor: 'U1',
      action: 'release.approved',
      releaseId: 'r1',
      service: 'checkout',
      environment: 'production',
    });
    expect(entry).toEqual({
      id: expect.stringMatching(/^\d+-\d+$/),
      at: '2025-03-04T10:00:00.000Z',
      actor: 'U1',
      action: 'release.approved',
      releaseId: 'r1',
      service: 'checkout',
      environment: 'production',
    });
    expect(await collect(log.since())).toEqual([entry]);
  });

  it('finds the entries of one release and of one incident, in order', async () => {
    const { log } = auditLog();
    const a = await log.append({ actor: 'U1', action: 'release.started', releaseId: 'r1' });
    await log.append({ actor: 'U2', action: 'release.started', releaseId: 'r2' });
    const c = await log.append({
      actor: 'runway',
      action: 'incident.declared',
      releaseId: 'r1',
      incidentId: 'INC-1',
    });
    const d = await log.append({ actor: 'U3', action: 'incident.resolved', incidentId: 'INC-1' });
    expect(await log.forRelease('r1')).toEqual([a, c]);
    expect(await log.forIncident('INC-1')).toEqual([c, d]);
    expect(await log.forRelease('r9')).toEqual([]);
  });

  it('shows the newest entries first', async () => {
    const { log } = auditLog();
    const entries = [];
    for (let i = 0; i < 5; i++) entries.push(await log.append({ actor: 'U1', action: `a${i}` }));
    expect(await log.latest(3)).toEqual(entries.slice(2).reverse());
  });

  it('reads everything since a date, across pages of 500', async () => {
    const { client, prefix, log } = auditLog();
    // Entries with chosen stream ids: day 1 has 700 (more than a page), day 2 has 3.
    const day1 = Date.UTC(2025, 2, 1);
    const day2 = Date.UTC(2025, 2, 2);
    const pipeline = client.pipeline();
    for (let i = 0; i < 700; i++)
      pipeline.xadd(
        `${prefix}:audit`,
        `${day1}-${i}`,
        'json',
        JSON.stringify({ at: '', actor: 'U1', action: `d1-${i}` }),
      );
    for (let i = 0; i < 3; i++)
      pipeline.xadd(
        `${prefix}:audit`,
        `${day2 + i}-0`,
        'json',
        JSON.stringify({ at: '', actor: 'U1', action: `d2-${i}` }),
      );
    await pipeline.exec();

    const all = await collect(log.since());
    expect(all).toHaveLength(703);
    expect(all[0]!.action).toBe('d1-0');
    expect(all[699]!.action).toBe('d1-699');
    expect(new Set(all.map((e) => e.id)).size).toBe(703);

    const fromDay2 = await collect(log.since(new Date(day2)));
    expect(fromDay2.map((e) => e.action)).toEqual(['d2-0', 'd2-1', 'd2-2']);
    expect(await collect(log.since(new Date(day2 + 1)))).toHaveLength(2);
    expect(await collect(log.since(new Date(day2 + 60_000)))).toEqual([]);
  });

  it('yields nothing from an empty log', async () => {
    const { log } = auditLog();
    expect(await collect(log.since())).toEqual([]);
    expect(await log.latest()).toEqual([]);
  });

  it('never stores a secret value, in details or in any field', async () => {
    const secretSet = new SecretSet();
    secretSet.add('s3cr3t-webhook-token', 'pa"ss\\word');
    const { client, prefix, log } = auditLog({ secretSet });
    await log.append({
      actor: 'runway',
      action: 'called https://hooks.example.com/s3cr3t-webhook-token',
      releaseId: 'r1',
      details: {
        url: 'https://hooks.example.com/s3cr3t-webhook-token',
        nested: { output: ['password was pa"ss\\word'] },
        exitCode: 1,
      },
    });
    const stored = (await client.xrange(`${prefix}:audit`, '-', '+'))
      .map(([, fields]) => fields.join(' '))
      .join('\n');
    expect(stored).toContain('[redacted]');
    for (const secret of secretSet) {
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
    const [entry] = await log.forRelease('r1');
    expect(entry!.action).toBe('called https://hooks.example.com/[redacted]');
    expect(entry!.details).toEqual({
      url: 'https://hooks.example.com/[redacted]',
      nested: { output: ['password was [redacted]'] },
      exitCode: 1,
    });
  });

  it('scrubs with the process-wide secret set by default', async () => {
    const { log } = auditLog();
    secrets.add('global-secret-value');
    const entry = await log.append({
      actor: 'runway',
      action: 'x',
      details: { token: 'global-secret-value' },
    });
    expect(entry.details).toEqual({ token: '[redacted]' });
  });
});
