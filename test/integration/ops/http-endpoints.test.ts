import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { loadTestRunbook, memoryLogger, FAST, waitFor, waitForState } from '../../helpers/runway.ts';
import { createRuntime, type Runtime } from '../../../src/runtime.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { createHttpApp } from '../../../src/http/server.ts';
import { redisReady } from '../../../src/redis/connection.ts';
import { uniquePrefix } from '../../helpers/redis.ts';

const RECORD = resolve('test/fixtures/record-action.mjs');
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
let redis: TestRedis;
let runtime: Runtime;
let server: Server;
let base: string;

beforeAll(async () => {
  redis = await startRedis();
  const book = loadTestRunbook(`
version: 1
services:
  checkout:
    approvals: { required: 0 }
    actions:
      deploy: { command: ${JSON.stringify(['node', RECORD, '/dev/null', 'deploy'])} }
      rollback: { command: ${JSON.stringify(['node', RECORD, '/dev/null', 'rollback'])} }
    stages: [deploy]
`);
  const metrics = createMetrics();
  runtime = createRuntime({
    redisUrl: redis.url,
    prefix: uniquePrefix(),
    runbook: () => book,
    log: memoryLogger().log,
    metrics,
  });
  await runtime.startWorkers(FAST);
  const app = createHttpApp({
    readiness: { check: async () => ((await redisReady(runtime.redis)) ? null : 'Redis is not answering') },
    metrics: metrics.registry,
    admin: { token: ADMIN_TOKEN, queues: runtime.queues.all() },
  });
  await new Promise<void>((ok) => {
    server = app.listen(0, '127.0.0.1', () => ok());
  });
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
  await runtime.close();
  await redis.stop();
});

/** A minimal Prometheus text-format parser: every sample line is `name{labels} value`. */
function parsePrometheus(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1]!] = pair[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

describe('health, readiness, metrics and the dashboard', () => {
  it('answers /healthz while alive', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('flips /readyz to 503 when Redis stops and back to 200 when it restarts', async () => {
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await redis.kill();
    const down = await waitFor('503', async () => {
      const res = await fetch(`${base}/readyz`);
      return res.status === 503 ? res : null;
    });
    expect(await down.json()).toMatchObject({ ok: false, reason: expect.stringMatching(/Redis/) });
    expect((await fetch(`${base}/healthz`)).status).toBe(200); // alive, just not ready
    await redis.restart();
    await waitFor('200 again', async () => (await fetch(`${base}/readyz`)).status === 200, 15_000);
  });

  it('serves Prometheus text that counts a release', async () => {
    const started = await runtime.engine.start({
      service: 'checkout',
      version: 'v1.0.0',
      requester: 'UALICE',
    });
    if (!started.ok) throw new Error(started.reason);
    await waitForState(runtime, started.release.id, ['completed']);
    // A job's duration is recorded on the worker's 'completed' event, just after the step saved its result.
    const samples = await waitFor('the step job in the metrics', async () => {
      const res = await fetch(`${base}/metrics`);
      expect(res.headers.get('content-type')).toMatch(/text\/plain/);
      const parsed = parsePrometheus(await res.text());
      return parsed.some(
        (s) => s.name === 'runway_job_duration_seconds_count' && s.labels.queue === 'runway-steps',
      )
        ? parsed
        : null;
    });
    const find = (name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    expect(find('runway_releases_started_total', { service: 'checkout' })?.value).toBe(1);
    expect(find('runway_releases_finished_total', { state: 'completed', service: 'checkout' })?.value).toBe(
      1,
    );
    expect(find('runway_stage_duration_seconds_count', { kind: 'deploy', outcome: 'done' })?.value).toBe(1);
    expect(
      find('runway_job_duration_seconds_count', { queue: 'runway-steps' })?.value,
    ).toBeGreaterThanOrEqual(1);
    expect(find('runway_queue_jobs', { queue: 'runway-steps', state: 'waiting' })).toBeDefined();
    expect(find('runway_releases_active', { state: 'running' })?.value).toBe(0);
    expect(find('process_resident_memory_bytes')?.value).toBeGreaterThan(0);
  });

  it('guards /admin/queues with the admin bearer token', async () => {
    expect((await fetch(`${base}/admin/queues`)).status).toBe(401);
    expect(
      (await fetch(`${base}/admin/queues`, { headers: { Authorization: 'Bearer wrong-token-wrong-token' } }))
        .status,
    ).toBe(401);
    const ok = await fetch(`${base}/admin/queues`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/<html/i);
    const api = await fetch(`${base}/admin/queues/api/queues`, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(api.status).toBe(200);
    expect(JSON.stringify(await api.json())).toContain('runway-steps');
  });

  it('has no dashboard at all when the token is unset', async () => {
    const app = createHttpApp({
      readiness: { check: async () => null },
      admin: { queues: runtime.queues.all() },
    });
    const s = await new Promise<Server>((ok) => {
      const srv = app.listen(0, '127.0.0.1', () => ok(srv));
    });
    const res = await fetch(`http://127.0.0.1:${(s.address() as { port: number }).port}/admin/queues`);
    expect(res.status).toBe(404);
    await new Promise((ok) => s.close(ok));
  });
});
