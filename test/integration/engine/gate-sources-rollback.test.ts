// A release watched by a datadog, cloudwatch or newrelic gate, through real workers on real Redis:
// when the source reports a breach the release rolls back; the credentials stay off the release.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime.ts';
import { startFakeCloudWatch, type FakeCloudWatch } from '../../helpers/fake-cloudwatch.ts';
import { startFakeDatadog, type FakeDatadog } from '../../helpers/fake-datadog.ts';
import { startFakeNewRelic, type FakeNewRelic } from '../../helpers/fake-newrelic.ts';
import { useRedis } from '../../helpers/redis.ts';
import { loadTestRunbook, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';

const redis = useRedis();
const RECORD = resolve('test/fixtures/record-action.mjs');
const ENV = {
  DD_API_KEY: 'dd-api-key-rollback-0001',
  DD_APP_KEY: 'dd-app-key-rollback-0002',
  NR_API_KEY: 'NRAK-ROLLBACKKEY0003',
};
const AWS_ID = 'AKIAROLLBACKTEST';
const AWS_SECRET = 'aws-secret-for-the-rollback-test';

let errorRate = 0.001;
let datadog: FakeDatadog;
let cloudwatch: FakeCloudWatch;
let newrelic: FakeNewRelic;
beforeAll(async () => {
  process.env['AWS_ACCESS_KEY_ID'] = AWS_ID;
  process.env['AWS_SECRET_ACCESS_KEY'] = AWS_SECRET;
  datadog = await startFakeDatadog(ENV.DD_API_KEY, ENV.DD_APP_KEY);
  datadog.series = () => [{ points: [[Date.now(), errorRate]] }];
  cloudwatch = await startFakeCloudWatch(AWS_ID, AWS_SECRET, 'us-east-1');
  cloudwatch.results = () => [{ points: [[Math.floor(Date.now() / 1000), errorRate]] }];
  newrelic = await startFakeNewRelic(ENV.NR_API_KEY, 42);
  newrelic.results = () => [{ percentage: errorRate }];
});
afterAll(async () => {
  await Promise.all([datadog.close(), cloudwatch.close(), newrelic.close()]);
  delete process.env['AWS_ACCESS_KEY_ID'];
  delete process.env['AWS_SECRET_ACCESS_KEY'];
});

const runtimes: Runtime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
  errorRate = 0.001;
});

const sources: Record<string, () => string> = {
  datadog: () =>
    `datadog: { query: "avg:checkout.errors{env:production}", api_key: "\${DD_API_KEY}", app_key: "\${DD_APP_KEY}", url: "${datadog.url}" }`,
  cloudwatch: () =>
    `cloudwatch: { region: us-east-1, namespace: Checkout, metric: ErrorRate, stat: Average, period: 60, endpoint: "${cloudwatch.url}" }`,
  newrelic: () =>
    `newrelic: { account_id: 42, api_key: "\${NR_API_KEY}", nrql: "SELECT percentage(count(*), WHERE error IS true) FROM Transaction", url: "${newrelic.url}" }`,
};

function runbook(log: string, source: string): string {
  const cmd = (...words: string[]) => JSON.stringify(['node', RECORD, log, ...words]);
  return `
version: 1
services:
  checkout:
    previous_version: v1.2.2
    approvals: { required: 0 }
    actions:
      deploy: { command: ${cmd('deploy', '{{version}}')} }
      traffic: { command: ${cmd('traffic', '{{percent}}')} }
      rollback: { command: ${cmd('rollback', '{{previous_version}}')} }
    gates:
      error_rate:
        ${source}
        max: 0.005
        for: 300ms
        every: 150ms
        timeout: 3s
    stages:
      - deploy
      - { traffic: 10, hold: 20s, gates: [error_rate] }
    on_breach: rollback
    rollback_incident: none
`;
}

const lines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];

describe('gate sources in a release', () => {
  it.each(Object.keys(sources))('a %s breach rolls the release back', async (name) => {
    const log = join(mkdtempSync(join(tmpdir(), 'runway-sources-')), 'actions.log');
    const { runtime, lines: logLines } = await startRunway(
      redis.url,
      loadTestRunbook(runbook(log, sources[name]!()), ENV),
    );
    runtimes.push(runtime);
    const started = await runtime.engine.start({
      service: 'checkout',
      version: 'v1.2.3',
      requester: 'UALICE',
    });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;
    await waitFor('a healthy reading at 10%', async () => {
      const r = await runtime.store.get(id);
      return r?.traffic === 10 && r.gates['error_rate']?.value === 0.001;
    });
    errorRate = 0.05;
    const done = await waitForState(runtime, id, ['rolled_back', 'failed', 'completed']);
    expect(done.state).toBe('rolled_back');
    expect(done.rollback?.reason).toMatch(/gate error_rate: 0\.05 > max 0\.005 for/);
    expect(lines(log).map((l) => l.split(' key=')[0])).toEqual([
      'deploy v1.2.3',
      'traffic 10',
      'traffic 0',
      'rollback v1.2.2',
    ]);
    const stored = JSON.stringify(done);
    const audit = JSON.stringify(await runtime.engine.auditTrail(id));
    for (const secret of [...Object.values(ENV), AWS_SECRET]) {
      expect(stored).not.toContain(secret);
      expect(audit).not.toContain(secret);
      for (const line of logLines) expect(line).not.toContain(secret);
    }
  });
});
