import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { auditExport } from '../../../src/cli/audit-export.ts';
import { AuditLog } from '../../../src/store/audit-log.ts';
import { uniquePrefix, useRedis } from '../../helpers/redis.ts';

const redis = useRedis();

function sink(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('npx runway audit export', () => {
  it('prints one JSON object per line, oldest first', async () => {
    const client = redis.connect();
    const prefix = uniquePrefix();
    const log = new AuditLog(client, prefix);
    const a = await log.append({ actor: 'U1', action: 'release.started', releaseId: 'r1' });
    const b = await log.append({
      actor: 'U2',
      action: 'release.approved',
      releaseId: 'r1',
      details: { note: 'lgtm' },
    });
    const { out, text } = sink();
    expect(await auditExport({ redis: client, prefix, out })).toBe(2);
    const lines = text().trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([a, b]);
  });

  it('starts at --since', async () => {
    const client = redis.connect();
    const prefix = uniquePrefix();
    await client.xadd(
      `${prefix}:audit`,
      `${Date.UTC(2025, 0, 1)}-0`,
      'json',
      JSON.stringify({ at: '2025-01-01T00:00:00.000Z', actor: 'U1', action: 'old' }),
    );
    await client.xadd(
      `${prefix}:audit`,
      `${Date.UTC(2025, 1, 1)}-0`,
      'json',
      JSON.stringify({ at: '2025-02-01T00:00:00.000Z', actor: 'U1', action: 'new' }),
    );
    const { out, text } = sink();
    await auditExport({ redis: client, prefix, since: '2025-01-15', out });
    expect(
      text()
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { action: string }).action),
    ).toEqual(['new']);
  });

  it('refuses a --since that is not an ISO date, before reading anything', async () => {
    const { out } = sink();
    await expect(
      auditExport({ redis: redis.connect(), prefix: uniquePrefix(), since: 'last tuesday', out }),
    ).rejects.toThrow(/--since expects an ISO date such as 2025-01-31.*got "last tuesday"/);
  });

  it('waits for a slow reader instead of buffering everything', async () => {
    const client = redis.connect();
    const prefix = uniquePrefix();
    const pipeline = client.pipeline();
    for (let i = 0; i < 1200; i++)
      pipeline.xadd(
        `${prefix}:audit`,
        '*',
        'json',
        JSON.stringify({ at: '', actor: 'U1', action: `a${i}`, details: { pad: 'x'.repeat(200) } }),
      );
    await pipeline.exec();
    let lines = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        lines += chunk.toString('utf8').split('\n').length - 1;
        setImmediate(done);
      },
    });
    expect(await auditExport({ redis: client, prefix, out: slow })).toBe(1200);
    expect(lines).toBe(1200);
  });
});
