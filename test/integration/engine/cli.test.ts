import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { AuditLog } from '../../../src/store/audit-log.ts';

const redis = useRedis();

function runway(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [resolve('bin/runway.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('the runway command', () => {
  it('refuses to start a worker on a malformed runbook, listing every problem with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runway-cli-'));
    const file = join(dir, 'runway.yml');
    writeFileSync(
      file,
      [
        'version: 1',
        'services:',
        '  checkout:',
        '    environments:',
        '      production:',
        '        actions: { deploy: { command: [./deploy.sh], timeout: soon } }',
        '        gates: { error_rate: { prometheus: { url: "http://p", query: q }, max: "high" } }',
        '        stages: [deploy]',
      ].join('\n'),
    );
    const result = runway(['worker'], { RUNWAY_CONFIG: file, REDIS_URL: redis.url });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'services.checkout.environments.production.gates.error_rate.max: expected number',
    );
    expect(result.stderr).toContain('services.checkout.environments.production.actions.deploy.timeout');
  });

  it('exports the audit log as JSON lines, with --since', async () => {
    const prefix = uniquePrefix();
    const audit = new AuditLog(redis.connect(), prefix);
    await audit.append({ actor: 'UALICE', action: 'release.started', releaseId: 'r1' });
    await new Promise((r) => setTimeout(r, 20));
    const cut = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await audit.append({ actor: 'UBOB', action: 'release.approved', releaseId: 'r1' });
    const all = runway(['audit', 'export'], { REDIS_URL: redis.url, RUNWAY_PREFIX: prefix });
    expect(all.status).toBe(0);
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string });
    expect(lines.map((l) => l.action)).toEqual(['release.started', 'release.approved']);
    const since = runway(['audit', 'export', '--since', cut], {
      REDIS_URL: redis.url,
      RUNWAY_PREFIX: prefix,
    });
    expect(
      since.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { action: string }).action),
    ).toEqual(['release.approved']);
    const bad = runway(['audit', 'export', '--since', 'yesterday'], {
      REDIS_URL: redis.url,
      RUNWAY_PREFIX: prefix,
    });
    expect(bad.status).toBe(1);
  });

  it('checks the annotated example runbook', () => {
    const ok = runway(['check', 'runway.example.yml'], {
      DEPLOY_HOOK_SECRET: 'hook-secret-1',
      PD_ROUTING_KEY: 'pd-key-1234',
      LD_API_TOKEN: 'ld-token-1234',
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('checkout');
    const missing = runway(['check', 'runway.example.yml'], {});
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/DEPLOY_HOOK_SECRET is not set/);
  });
});
