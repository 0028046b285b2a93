import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../src/redis/free-port.ts';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { startServer, sendJson } from '../../helpers/http-server.ts';
import { spawnRunway, type WorkerProcess } from '../../helpers/worker-process.ts';
import { startTestWorkspace } from '../../helpers/workspace.ts';
import { AuditLog } from '../../../src/store/audit-log.ts';
import { ReleaseStore } from '../../../src/store/release-store.ts';

const redis = useRedis();
const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-secret-bot-token-71f3a9',
  SLACK_SIGNING_SECRET: 'signing-secret-9c2d7e41b0',
  DEPLOY_HOOK_SECRET: 'hook-secret-4e8a1c6d2f',
  API_TOKEN: 'api-token-b5d0e3f7a2c9',
};
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

describe('secrets', () => {
  it('never reach the logs, Slack or the audit log, even when an action prints them', async () => {
    const ws = await startTestWorkspace({
      botToken: SECRETS.SLACK_BOT_TOKEN,
      signingSecret: SECRETS.SLACK_SIGNING_SECRET,
    });
    cleanup.push(() => ws.close());
    // A deploy hook that fails once echoing the Authorization header it got, then accepts.
    let calls = 0;
    const hook = await startServer((req, res) => {
      calls += 1;
      if (calls === 1) return sendJson(res, 500, { error: 'upstream broke', saw: req.headers.authorization });
      sendJson(res, 200, { ok: true });
    });
    cleanup.push(() => hook.close());
    const d = mkdtempSync(join(tmpdir(), 'runway-secrets-'));
    const file = join(d, 'runway.yml');
    writeFileSync(
      file,
      `
version: 1
channels: { releases: "#releases" }
services:
  checkout:
    approvals: { required: 0 }
    on_breach: pause
    actions:
      deploy: { webhook: { url: "${hook.url}/deploy", headers: { Authorization: "Bearer \${API_TOKEN}" }, body: { version: "{{version}}" }, secret: "\${DEPLOY_HOOK_SECRET}" } }
      leak: { command: ${JSON.stringify(['node', resolve('test/fixtures/leak-secret.mjs')])}, env: { API_TOKEN: "\${API_TOKEN}" } }
      rollback: { command: ["true"] }
    stages: [deploy, { run: leak }]
`,
    );
    const prefix = uniquePrefix();
    const env = {
      REDIS_URL: redis.url,
      RUNWAY_PREFIX: prefix,
      RUNWAY_CONFIG: file,
      SLACK_API_URL: ws.apiUrl,
      LOG_LEVEL: 'debug',
      ...SECRETS,
    };
    const appPort = await freePort();
    const procs: WorkerProcess[] = [
      spawnRunway('app', { ...env, PORT: String(appPort) }),
      spawnRunway('worker', { ...env, PORT: String(await freePort()) }),
    ];
    for (const p of procs) cleanup.push(() => p.kill('SIGKILL'));
    ws.setAppUrl(`http://127.0.0.1:${appPort}/slack/events`);
    await waitFor(
      'the app',
      async () => (await fetch(`http://127.0.0.1:${appPort}/readyz`).catch(() => null))?.status === 200,
      30_000,
    );
    await ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.0.0');
    const store = new ReleaseStore(redis.connect(), prefix);
    const paused = await waitFor(
      'the leak to fail and pause',
      async () => (await store.listActive()).find((r) => r.state === 'paused'),
      45_000,
    );
    expect(calls).toBe(2); // the webhook was retried after its 500
    // The failed action's output tail is kept beside the pause's reason, redacted.
    expect(paused.pause?.tail).toContain('connecting with token [redacted]');
    for (const value of Object.values(SECRETS)) expect(JSON.stringify(paused)).not.toContain(value);
    await waitFor('the failure in the thread', async () =>
      ws.store
        .channels()
        .some((c) =>
          ws.store
            .history(c.id)
            .some((m) => ws.store.replies(c.id, m.ts).some((r) => r.text.includes('[redacted]'))),
        ),
    );

    const logs = procs.map((p) => p.output()).join('\n');
    const slack = JSON.stringify(
      ws.store
        .channels()
        .flatMap((c) => ws.store.history(c.id).flatMap((m) => ws.store.replies(c.id, m.ts).concat(m))),
    );
    const audit: string[] = [];
    for await (const entry of new AuditLog(redis.connect(), prefix).since())
      audit.push(JSON.stringify(entry));
    const release = JSON.stringify(await store.get(paused.id));
    for (const [name, value] of Object.entries(SECRETS)) {
      expect(logs, `${name} in the logs`).not.toContain(value);
      expect(slack, `${name} in Slack`).not.toContain(value);
      expect(audit.join('\n'), `${name} in the audit log`).not.toContain(value);
      expect(release, `${name} in the stored release`).not.toContain(value);
    }
    // The logs are JSON lines, and lines about a job say which release and job.
    const lines = logs
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(5);
    const finished = lines.filter((l) => l.msg === 'action finished');
    expect(finished.length).toBeGreaterThan(0);
    for (const l of finished) {
      expect(l.releaseId).toBe(paused.id);
      expect(l.jobId).toBeTruthy();
    }
  }, 90_000);
});
