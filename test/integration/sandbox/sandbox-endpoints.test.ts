// `npm start` without Slack credentials serves everything on PORT: the page and the workspace, and
// also the bot's /healthz, /readyz, /metrics and /admin/queues (SPEC section 1: all on PORT).
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.ts';
import { runSandbox, type Sandbox } from '../../../src/sandbox/run-sandbox.ts';
import { useRedis } from '../../helpers/redis.ts';

const redis = useRedis();
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await runSandbox({
    port: 0,
    demoPort: 0,
    redisUrl: redis.url,
    log: createLogger({ level: 'silent' }),
  });
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

describe('the sandbox port', () => {
  it('answers health, readiness and Prometheus metrics for the bot', async () => {
    const health = await fetch(`${sandbox.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const ready = await fetch(`${sandbox.url}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await fetch(`${sandbox.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/^# HELP runway_/m);
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('has no queue dashboard without RUNWAY_ADMIN_TOKEN', async () => {
    expect((await fetch(`${sandbox.url}/admin/queues`)).status).toBe(404);
  });

  it('still serves the page', async () => {
    const page = await fetch(`${sandbox.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/html/);
  });

  it("shows the demo service's split, its flag and its database schema on the page", async () => {
    const state = await (await fetch(`${sandbox.url}/ui/state?user=alice`)).json();
    expect(state.demo).toEqual({
      stable: 'v1.2.0',
      canary: null,
      weight: 0,
      flag: { key: 'new-checkout', on: false, percent: 0 },
      database: { schema: 1, by: null },
    });
  });
});

describe('the sandbox port with RUNWAY_ADMIN_TOKEN', () => {
  const ADMIN_TOKEN = 'sandbox-admin-token-3f9c2a7e';
  let guarded: Sandbox;
  beforeAll(async () => {
    guarded = await runSandbox({
      port: 0,
      demoPort: 0,
      redisUrl: redis.url,
      prefix: 'runway-admin',
      adminToken: ADMIN_TOKEN,
      log: createLogger({ level: 'silent' }),
    });
  }, 60_000);
  afterAll(async () => {
    await guarded?.close();
  });

  it('serves /admin/queues behind the bearer token, as in HTTP mode', async () => {
    const bare = await fetch(`${guarded.url}/admin/queues`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(`${guarded.url}/admin/queues`, {
      headers: { Authorization: 'Bearer wrong-token-wrong-tok' },
    });
    expect(wrong.status).toBe(401);
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const ok = await fetch(`${guarded.url}/admin/queues`, { headers: auth });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/<html/i);
    const api = await fetch(`${guarded.url}/admin/queues/api/queues`, { headers: auth });
    expect(api.status).toBe(200);
    expect(JSON.stringify(await api.json())).toContain('runway-steps');
  });
});

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

describe('the bot inside the sandbox', () => {
  it('takes Slack requests on 127.0.0.1 only', async () => {
    const app = new URL(sandbox.workspace.appUrl!);
    expect(app.hostname).toBe('127.0.0.1');
    const port = Number(app.port);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    // A machine with only a loopback interface has no other address to try.
    if (outside) expect(await accepts(outside.address, port)).toBe(false);
  });
});
