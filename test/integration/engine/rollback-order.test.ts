// SPEC §5: a rollback stops the running stage — its command killed — and only then sets traffic to 0
// and runs `rollback`. A deploy that takes 1.5 s to stop must have ended before either rollback step
// runs. Real redis-server, real BullMQ workers, real processes.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Runtime } from '../../../src/runtime.ts';
import { useRedis } from '../../helpers/redis.ts';
import { loadTestRunbook, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';

const redis = useRedis();
const RECORD = resolve('test/fixtures/record-action.mjs');
const SLOW_STOP = resolve('test/fixtures/slow-stop.mjs');
const runtimes: Runtime[] = [];
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.close();
});

const lines = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/ key=.*$/, ''))
    : [];

describe('a rollback requested while a stage runs', () => {
  it('waits for the stopped command to end before setting traffic to 0 and running rollback', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'runway-order-')), 'actions.log');
    const cmd = (...w: string[]) => JSON.stringify(['node', RECORD, log, ...w]);
    const runbook = loadTestRunbook(`
version: 1
services:
  checkout:
    previous_version: v1.2.2
    environments:
      production:
        approvals: { required: 0 }
        actions:
          deploy: { command: ${JSON.stringify(['node', SLOW_STOP, log, 'deploy'])}, timeout: 2m, env: { STOP_MS: "400" } }
          traffic: { command: ${cmd('traffic', '{{percent}}')} }
          rollback: { command: ${cmd('rollback', '{{previous_version}}')} }
        stages: [deploy, { traffic: 100 }]
`);
    const { runtime } = await startRunway(redis.url, runbook, {
      tuning: { cancelPollMs: 100, actionOptions: { killGraceMs: 2000 } },
    });
    runtimes.push(runtime);
    const started = await runtime.engine.start({
      service: 'checkout',
      version: 'v1.3.0',
      requester: 'UALICE',
    });
    if (!started.ok) throw new Error(started.reason);
    await waitFor('the deploy running', async () => lines(log).includes('deploy started'));
    const asked = await runtime.engine.rollback({
      service: 'checkout',
      actor: { user: 'UALICE' },
      reason: 'wrong build',
    });
    expect(asked.ok).toBe(true);
    await waitForState(runtime, started.release.id, ['rolled_back', 'failed'], 30_000);
    const order = lines(log);
    expect(order).toEqual([
      'deploy started',
      'deploy stopping',
      'deploy stopped',
      'traffic 0',
      'rollback v1.2.2',
    ]);
  }, 45_000);
});
