import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../src/redis/free-port.ts';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { loadTestRunbook, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';
import { spawnRunway, type WorkerProcess } from '../../helpers/worker-process.ts';
import { startTestWorkspace, type TestWorkspace } from '../../helpers/workspace.ts';
import { AuditLog } from '../../../src/store/audit-log.ts';
import type { Runtime } from '../../../src/runtime.ts';

const redis = useRedis();
const RECORD = resolve('test/fixtures/record-action.mjs');
const BOT_TOKEN = 'xoxb-ops-test-5f2b9c8e1a7d';
const SIGNING_SECRET = 'ops-signing-secret-8d3c1f9a2b';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'runway-ops-'));
}
const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').filter(Boolean) : []);

function proc(command: string, env: Record<string, string>): WorkerProcess {
  const p = spawnRunway(command, env);
  cleanup.push(() => p.kill('SIGKILL'));
  return p;
}

async function engineOnly(yaml: string, prefix: string): Promise<Runtime> {
  const { runtime } = await startRunway(redis.url, loadTestRunbook(yaml), { workers: false, prefix });
  cleanup.push(() => runtime.close());
  return runtime;
}

describe('SIGTERM', () => {
  it('during a hold: the worker exits within 30 s and another finishes the release', async () => {
    const d = dir();
    const log = join(d, 'actions.log');
    const cmd = (...w: string[]) => JSON.stringify(['node', RECORD, log, ...w]);
    const yaml = `
version: 1
services:
  checkout:
    approvals: { required: 0 }
    actions:
      deploy: { command: ${cmd('deploy', '{{version}}')} }
      traffic: { command: ${cmd('traffic', '{{percent}}')} }
      rollback: { command: ${cmd('rollback')} }
    stages: [deploy, { traffic: 10, hold: 4s }, { traffic: 100 }]
`;
    const file = join(d, 'runway.yml');
    writeFileSync(file, yaml);
    const prefix = uniquePrefix();
    const runtime = await engineOnly(yaml, prefix);
    const env = {
      REDIS_URL: redis.url,
      RUNWAY_PREFIX: prefix,
      RUNWAY_CONFIG: file,
      PORT: String(await freePort()),
    };
    const first = proc('worker', env);
    const started = await runtime.engine.start({
      service: 'checkout',
      version: 'v3.0.0',
      requester: 'UALICE',
    });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;
    await waitFor('the hold', async () => (await runtime.store.get(id))?.stages[1]?.phase === 'hold', 30_000);
    const t0 = Date.now();
    const code = await first.kill('SIGTERM');
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(code).toBe(0);
    proc('worker', { ...env, PORT: String(await freePort()) });
    const done = await waitForState(runtime, id, ['completed', 'rolled_back', 'failed'], 45_000);
    expect(done.state).toBe('completed');
    expect(read(log).map((l) => l.split(' key=')[0])).toEqual(['deploy v3.0.0', 'traffic 10', 'traffic 100']);
  }, 90_000);
});

describe('PORT already taken', () => {
  // Each process that listens on PORT: a worker, the Slack app in HTTP mode, and the sandbox a
  // second `npm start` would open. Each says which port in one line and exits 1.
  const RUNBOOK =
    'version: 1\nservices:\n  checkout:\n    actions: { deploy: { command: ["true"] }, rollback: { command: ["true"] } }\n    stages: [deploy]\n';
  const cases: { name: string; command: string; env: () => Promise<Record<string, string>> }[] = [
    { name: 'a worker', command: 'worker', env: async () => ({}) },
    {
      name: 'the Slack app in HTTP mode',
      command: 'app',
      env: async () => {
        const ws = await startTestWorkspace({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
        cleanup.push(() => ws.close());
        return { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: ws.apiUrl };
      },
    },
    { name: 'the sandbox', command: 'sandbox', env: async () => ({}) },
  ];
  it.each(cases)(
    '$name whose PORT another process holds exits 1 and says which port, not a stack trace',
    async ({ command, env }) => {
      const holder = createServer().listen(0);
      await once(holder, 'listening');
      cleanup.push(() => new Promise((done) => holder.close(done)));
      const address = holder.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const file = join(dir(), 'runway.yml');
      writeFileSync(file, RUNBOOK);
      const child = proc(command, {
        REDIS_URL: redis.url,
        RUNWAY_PREFIX: uniquePrefix(),
        RUNWAY_CONFIG: file,
        PORT: String(port),
        ...(await env()),
      });
      const code = await new Promise<number | null>((done) => child.child.once('exit', done));
      expect(code).toBe(1);
      expect(child.output()).toContain(`PORT ${port} is already in use`);
      expect(child.output()).not.toContain('    at ');
    },
    60_000,
  );
});

describe('the sandbox process', () => {
  it('serves /admin/queues on PORT behind RUNWAY_ADMIN_TOKEN', async () => {
    const port = await freePort();
    const token = 'sandbox-process-admin-7c1e4b9d';
    proc('sandbox', {
      REDIS_URL: redis.url,
      RUNWAY_PREFIX: uniquePrefix(),
      PORT: String(port),
      RUNWAY_ADMIN_TOKEN: token,
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      'the sandbox ready',
      async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200,
      30_000,
    );
    expect((await fetch(`${base}/admin/queues`)).status).toBe(401);
    const ok = await fetch(`${base}/admin/queues`, { headers: { Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
  }, 60_000);
});

describe('Redis unreachable', () => {
  it('a worker exits 1 with the message in one line, not a stack trace', async () => {
    const file = join(dir(), 'runway.yml');
    writeFileSync(
      file,
      'version: 1\nservices:\n  checkout:\n    actions: { deploy: { command: ["true"] }, rollback: { command: ["true"] } }\n    stages: [deploy]\n',
    );
    const child = proc('worker', {
      REDIS_URL: 'redis://127.0.0.1:1',
      RUNWAY_PREFIX: uniquePrefix(),
      RUNWAY_CONFIG: file,
    });
    const code = await new Promise<number | null>((done) => child.child.once('exit', done));
    expect(code).toBe(1);
    expect(child.output()).toContain('runway: cannot reach Redis at redis://127.0.0.1:1');
    expect(child.output()).not.toContain('    at ');
  }, 60_000);
});

describe('scale-out', () => {
  let ws: TestWorkspace;
  it('two apps and two workers on one Redis complete ten releases, every action once', async () => {
    ws = await startTestWorkspace({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
    cleanup.push(() => ws.close());
    const d = dir();
    const log = join(d, 'actions.log');
    const cmd = (...w: string[]) => JSON.stringify(['node', RECORD, log, ...w]);
    const services = Array.from({ length: 10 }, (_, i) => `svc${i}`);
    const yaml = `
version: 1
channels: { releases: "#releases" }
defaults:
  approvals: { required: 0 }
  actions:
    deploy: { command: ${cmd('deploy', '{{service}}', '{{version}}')} }
    traffic: { command: ${cmd('traffic', '{{service}}', '{{percent}}')} }
    rollback: { command: ${cmd('rollback', '{{service}}')} }
  stages: [deploy, { traffic: 50, hold: 1s }, { traffic: 100 }]
services:
${services.map((s) => `  ${s}: {}`).join('\n')}
`;
    const file = join(d, 'runway.yml');
    writeFileSync(file, yaml);
    const prefix = uniquePrefix();
    const base = {
      REDIS_URL: redis.url,
      RUNWAY_PREFIX: prefix,
      RUNWAY_CONFIG: file,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: ws.apiUrl,
    };
    const appPorts = [await freePort(), await freePort()];
    for (const port of appPorts) proc('app', { ...base, PORT: String(port) });
    for (let i = 0; i < 2; i++) proc('worker', { ...base, PORT: String(await freePort()) });
    for (const port of appPorts) {
      await waitFor(
        `app on ${port}`,
        async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200,
        30_000,
      );
    }
    const audit = new AuditLog(redis.connect(), prefix);
    // Alternate the two apps as Slack's load balancer would.
    for (const [i, service] of services.entries()) {
      ws.setAppUrl(`http://127.0.0.1:${appPorts[i % 2]}/slack/events`);
      const ack = await ws.slash('UALICE', 'CRELEASES', '/release', `start ${service} v1.0.${i}`);
      expect(ack.status).toBe(200);
    }
    await waitFor(
      'ten completed releases',
      async () => {
        const done = [];
        for await (const e of audit.since()) if (e.action === 'release.completed') done.push(e);
        return done.length === 10;
      },
      60_000,
    );
    const actions = read(log).map((l) => l.split(' key=')[0]!);
    expect(actions).toHaveLength(30);
    expect(new Set(actions).size).toBe(30);
    for (const [i, s] of services.entries()) {
      expect(actions).toEqual(
        expect.arrayContaining([`deploy ${s} v1.0.${i}`, `traffic ${s} 50`, `traffic ${s} 100`]),
      );
    }
    await waitFor(
      'ten cards',
      async () => ws.store.history('CRELEASES').filter((m) => m.user === ws.store.bot.user_id).length === 10,
    );
  }, 120_000);
});
