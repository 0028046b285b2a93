// Issue 12: a breach at 50% walks back over every started stage's undo, newest first, each once.
// Real redis-server, real BullMQ workers, real commands; a Prometheus-format server on 127.0.0.1 and a
// LaunchDarkly fake (its REST v2 semantic patch) reached through the product's flag client.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Runtime } from '../../../src/runtime.ts';
import { useRedis } from '../../helpers/redis.ts';
import { startServer, type TestServer } from '../../helpers/http-server.ts';
import { loadTestRunbook, startRunway, waitForState } from '../../helpers/runway.ts';

const redis = useRedis();
const RECORD = resolve('test/fixtures/record-action.mjs');
const runtimes: Runtime[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.close();
  for (const s of servers.splice(0)) await s.close();
});

const lines = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/ key=.*$/, ''))
    : [];

describe('a breach at 50% walks the release back', () => {
  it('runs snapshot, migrate, deploy, flag on 10%, traffic 50, then traffic 0, flag off, rollback, migrate_down, each once', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'runway-walk-')), 'actions.log');
    // The flag service records what it was told in the same log as the commands.
    const ld = await startServer((req, res, body) => {
      res.setHeader('content-type', 'application/json');
      if (req.headers.authorization !== 'ld-token-secret') return void res.writeHead(401).end('{}');
      if (req.method === 'GET')
        return void res.end(
          JSON.stringify({
            variations: [
              { _id: 't', value: true },
              { _id: 'f', value: false },
            ],
          }),
        );
      const patch = JSON.parse(body.toString()) as {
        instructions: { kind: string; rolloutWeights?: Record<string, number> }[];
      };
      for (const i of patch.instructions) {
        if (i.kind === 'updateFallthroughVariationOrRollout')
          appendFileSync(log, `flag rollout ${i.rolloutWeights!['t']! / 1000}\n`);
        if (i.kind === 'turnFlagOn') appendFileSync(log, 'flag on\n');
        if (i.kind === 'turnFlagOff') appendFileSync(log, 'flag off\n');
      }
      res.end('{}');
    });
    // Prometheus's instant-query format; the error rate breaches once traffic is at 50%.
    const prom = await startServer((_req, res) => {
      const value = lines(log).includes('traffic 50') ? '0.5' : '0.001';
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, value] }] },
        }),
      );
    });
    servers.push(ld, prom);
    const cmd = (...w: string[]) => JSON.stringify(['node', RECORD, log, ...w]);
    const runbook = loadTestRunbook(
      `
version: 1
services:
  checkout:
    previous_version: v1.2.2
    environments:
      production:
        approvals: { required: 0 }
        actions:
          db_snapshot: { command: ${cmd('snapshot')} }
          migrate: { command: ${cmd('migrate')} }
          migrate_down: { command: ${cmd('migrate_down')} }
          deploy: { command: ${cmd('deploy', '{{version}}')} }
          traffic: { command: ${cmd('traffic', '{{percent}}')} }
          rollback: { command: ${cmd('rollback', '{{previous_version}}')} }
          ai: { flag: { provider: launchdarkly, key: ai_suggestions, project: web, environment: production, token: "\${LD_TOKEN}", url: "${ld.url}" } }
        gates:
          error_rate: { prometheus: { url: "${prom.url}", query: "errors" }, max: 0.05, every: 200ms }
        stages:
          - { run: db_snapshot, name: "Snapshot the database" }
          - { run: migrate, undo: migrate_down, name: "Database migration" }
          - deploy
          - { flag: ai, percent: 10, hold: 300ms, gates: [error_rate] }
          - { traffic: 50, hold: 1h, gates: [error_rate] }
          - { traffic: 100 }
`,
      { LD_TOKEN: 'ld-token-secret' },
    );
    const { runtime } = await startRunway(redis.url, runbook, { tuning: { cancelPollMs: 100 } });
    runtimes.push(runtime);
    const started = await runtime.engine.start({
      service: 'checkout',
      version: 'v1.3.0',
      requester: 'UALICE',
    });
    if (!started.ok) throw new Error(started.reason);
    const end = await waitForState(
      runtime,
      started.release.id,
      ['rolled_back', 'failed', 'completed'],
      40_000,
    );
    expect(lines(log)).toEqual([
      'snapshot',
      'migrate',
      'deploy v1.3.0',
      'flag rollout 10',
      'flag on',
      'traffic 50',
      'traffic 0',
      'flag off',
      'rollback v1.2.2',
      'migrate_down',
    ]);
    expect(end.state).toBe('rolled_back');
  }, 60_000);
});
