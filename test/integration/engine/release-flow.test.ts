import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { useRedis } from '../../helpers/redis.ts';
import { sendJson, startServer, type TestServer } from '../../helpers/http-server.ts';
import { loadTestRunbook, memoryLogger, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';
import { createRuntime, type Runtime } from '../../../src/runtime.ts';
import type { RunbookContext } from '../../../src/engine/runbook-context.ts';

const redis = useRedis();
const RECORD = resolve('test/fixtures/record-action.mjs');

/** A Prometheus stand-in answering /api/v1/query with whatever `errorRate` holds now. */
let errorRate = 0.001;
let prometheus: TestServer;
let health: TestServer;
beforeAll(async () => {
  prometheus = await startServer((req, res) => {
    if (!req.url?.startsWith('/api/v1/query')) return sendJson(res, 404, { status: 'error' });
    sendJson(res, 200, {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, String(errorRate)] }] },
    });
  });
  health = await startServer((_req, res) => sendJson(res, 200, { status: 'healthy' }));
});
afterAll(async () => {
  await prometheus.close();
  await health.close();
});

const runtimes: Runtime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
  errorRate = 0.001;
});

function runbookYaml(
  log: string,
  over: { onBreach?: string; deployTimeout?: string; deploySleep?: number; forMs?: string } = {},
): string {
  const cmd = (...words: string[]) => JSON.stringify(['node', RECORD, log, ...words]);
  return `
version: 1
services:
  checkout:
    previous_version: v1.2.2
    environments:
      production:
        approvals: { required: 2, approvers: [UBOB, UCAROL] }
        preflight:
          - { id: ci, title: CI green, check: { http: [ { url: "${health.url}/status/{{version}}", expect_status: 200 } ] } }
          - { id: backup, title: Database backup completed, manual: true }
        actions:
          deploy: { command: ${cmd('deploy', '{{version}}')}, timeout: ${over.deployTimeout ?? '30s'}${over.deploySleep ? `, env: { RECORD_SLEEP_MS: "${over.deploySleep}" }` : ''} }
          traffic: { command: ${cmd('traffic', '{{percent}}')} }
          smoke: { http: [ { url: "${health.url}/health", expect_status: 200, expect_json: { status: healthy } } ] }
          rollback: { command: ${cmd('rollback', '{{previous_version}}')} }
        gates:
          error_rate:
            prometheus: { url: "${prometheus.url}", query: 'sum(rate(http_requests_total{code=~"5.."}[1m]))' }
            max: 0.005
            for: ${over.forMs ?? '600ms'}
            every: 150ms
        stages:
          - deploy
          - { traffic: 10, hold: 1s, gates: [error_rate] }
          - { traffic: 50, hold: 500ms, gates: [error_rate] }
          - { approval: "Promote to 100%?" }
          - { traffic: 100 }
          - smoke
          - { bake: 300ms, gates: [error_rate] }
        on_breach: ${over.onBreach ?? 'rollback'}
        rollback_incident: sev2
`;
}

function tempLog(): string {
  return join(mkdtempSync(join(tmpdir(), 'runway-flow-')), 'actions.log');
}
const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];

async function approvedRelease(runtime: Runtime, version = 'v1.2.3') {
  const started = await runtime.engine.start({
    service: 'checkout',
    version,
    requester: 'UALICE',
    notes: 'Adds Apple Pay',
  });
  if (!started.ok) throw new Error(started.reason);
  const id = started.release.id;
  await waitFor('CI check', async () => (await runtime.store.get(id))?.preflight[0]?.status === 'passed');
  expect((await runtime.engine.tick(id, 'backup', { user: 'UALICE' })).ok).toBe(true);
  expect((await runtime.engine.approve(id, { user: 'UBOB' })).ok).toBe(true);
  expect((await runtime.engine.approve(id, { user: 'UCAROL' })).ok).toBe(true);
  return id;
}

describe('a release through real workers and Redis', () => {
  it('runs every action once, in order, and completes with a handoff', async () => {
    const log = tempLog();
    const { runtime, notifier } = await startRunway(redis.url, loadTestRunbook(runbookYaml(log)));
    runtimes.push(runtime);
    const id = await approvedRelease(runtime);
    await waitFor(
      'the approval stage',
      async () => (await runtime.store.get(id))?.stages[3]?.phase === 'approval',
    );
    expect((await runtime.engine.promote(id, { user: 'UBOB' })).ok).toBe(true);
    const done = await waitForState(runtime, id, ['completed', 'rolled_back', 'failed']);
    expect(done.state).toBe('completed');
    expect(lines(log).map((l) => l.split(' key=')[0])).toEqual([
      'deploy v1.2.3',
      'traffic 10',
      'traffic 50',
      'traffic 100',
    ]);
    expect(lines(log)[0]).toMatch(new RegExp(`key=${id}-s0-a1$`));
    expect(await runtime.store.deployedVersion('checkout', 'production')).toBe('v1.2.3');
    expect(await runtime.store.activeId('checkout', 'production')).toBeNull();
    await waitFor('the handoff notification', async () => notifier.of('postHandoff').length === 1);
    const entries = await runtime.engine.auditTrail(id);
    // SPEC 4: commands run and their exit codes, as data on the entry.
    expect(entries.find((e) => e.action === 'action.finished')?.details).toMatchObject({
      stage: 0,
      action: 'deploy',
      exitCode: 0,
      timedOut: false,
    });
    const trail = entries.map((e) => e.action);
    expect(trail).toEqual(
      expect.arrayContaining([
        'release.started',
        'preflight.passed',
        'release.approved',
        'stage.confirmed',
        'release.completed',
      ]),
    );
    // The thread got the story in order.
    const texts = notifier.texts(id);
    expect(texts.findIndex((t) => t.includes('Stage 1/7 started'))).toBeLessThan(
      texts.findIndex((t) => t.includes('Stage 2/7 started')),
    );
    // The next release's previous version is this one.
    const next = await runtime.engine.start({ service: 'checkout', version: 'v1.2.4', requester: 'UALICE' });
    expect(next.ok && next.release.previousVersion).toBe('v1.2.3');
  });

  it('rolls back to the previous version when the error rate stays above the threshold', async () => {
    const log = tempLog();
    const { runtime, notifier } = await startRunway(redis.url, loadTestRunbook(runbookYaml(log)));
    runtimes.push(runtime);
    const id = await approvedRelease(runtime);
    await waitFor('traffic at 10%', async () => (await runtime.store.get(id))?.traffic === 10);
    errorRate = 0.05;
    const done = await waitForState(runtime, id, ['completed', 'rolled_back', 'failed']);
    expect(done.state).toBe('rolled_back');
    expect(done.rollback?.reason).toMatch(/gate error_rate: 0\.05 > max 0\.005 for/);
    expect(lines(log).map((l) => l.split(' key=')[0])).toEqual([
      'deploy v1.2.3',
      'traffic 10',
      'traffic 0',
      'rollback v1.2.2',
    ]);
    await waitFor('the incident', async () => notifier.of('declareIncident').length === 1);
    expect(await runtime.store.deployedVersion('checkout', 'production')).toBeNull();
  });

  it('lets exactly one of two simultaneous starts win', async () => {
    const log = tempLog();
    const book = loadTestRunbook(runbookYaml(log));
    const a = await startRunway(redis.url, book, { workers: false });
    const b = createTwin(a.runtime.prefix, book);
    runtimes.push(a.runtime, b);
    const results = await Promise.all([
      a.runtime.engine.start({ service: 'checkout', version: 'v1.2.3', requester: 'UALICE' }),
      b.engine.start({ service: 'checkout', version: 'v1.2.4', requester: 'UDAVE' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(loser && !loser.ok && loser.code).toBe('busy');
    expect(await a.runtime.store.listActive()).toHaveLength(1);
  });

  it('kills a deploy that hangs past its timeout and fails the stage cleanly', async () => {
    const log = tempLog();
    const { runtime, notifier } = await startRunway(
      redis.url,
      loadTestRunbook(runbookYaml(log, { onBreach: 'pause', deployTimeout: '800ms', deploySleep: 60_000 })),
    );
    runtimes.push(runtime);
    const id = await approvedRelease(runtime);
    const paused = await waitForState(runtime, id, ['paused', 'rolled_back', 'failed', 'completed']);
    expect(paused.state).toBe('paused');
    expect(paused.stages[0]?.status).toBe('failed');
    expect(paused.pause?.reason).toMatch(/deploy failed in stage 1 \(deploy\): timed out after/);
    expect(lines(log)).toEqual([]); // killed before it could write
    const failed = await waitFor('the failure audited', async () =>
      (await runtime.engine.auditTrail(id)).find((e) => e.action === 'action.failed'),
    );
    expect(failed.details).toMatchObject({ action: 'deploy', timedOut: true });
    expect(failed.details).not.toHaveProperty('exitCode');
    await waitFor('the failure in the thread', async () =>
      notifier.texts(id).some((t) => t.includes('timed out')),
    );
  });

  it('refuses a start with a bad version, an unknown service and during a freeze, changing nothing', async () => {
    const { runtime } = await startRunway(redis.url, loadTestRunbook(runbookYaml(tempLog())), {
      workers: false,
    });
    runtimes.push(runtime);
    const bad = await runtime.engine.start({
      service: 'checkout',
      version: '1.2.3; rm -rf /',
      requester: 'UALICE',
    });
    expect(!bad.ok && bad.code).toBe('bad_input');
    const unknown = await runtime.engine.start({
      service: 'payments',
      version: 'v1.0.0',
      requester: 'UALICE',
    });
    expect(!unknown.ok && unknown.code).toBe('bad_input');
    const notAllowed = await runtime.engine.freeze('all', { user: 'UMALLORY' }, 'just because');
    expect(!notAllowed.ok && notAllowed.code).toBe('not_allowed');
    expect((await runtime.engine.freeze('all', { user: 'UBOB' }, 'Black Friday')).ok).toBe(true);
    const frozen = await runtime.engine.start({
      service: 'checkout',
      version: 'v1.2.3',
      requester: 'UALICE',
    });
    expect(!frozen.ok && frozen.code).toBe('blocked_by_policy');
    expect(!frozen.ok && frozen.reason).toMatch(/frozen by @\{UBOB\} \(Black Friday\)/);
    expect(await runtime.store.listActive()).toEqual([]);
    const hotfix = await runtime.engine.start({
      service: 'checkout',
      version: 'v1.2.3',
      requester: 'UALICE',
      hotfix: 'CVE-2026-1234',
    });
    expect(hotfix.ok).toBe(true);
    const trail = hotfix.ok ? (await runtime.engine.auditTrail(hotfix.release.id)).map((e) => e.action) : [];
    expect(trail).toContain('policy.override');
  });
});

function createTwin(prefix: string, book: RunbookContext): Runtime {
  return createRuntime({ redisUrl: redis.url, prefix, runbook: () => book, log: memoryLogger().log });
}
