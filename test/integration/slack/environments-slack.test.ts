// A service in two environments (staging → production), driven through Slack with the real Bolt HTTP
// receiver, real workers and a real Redis: `/release pause|resume|rollback <service>` finds the
// service's one active release wherever it runs, asks which when both run, and takes `in <env>`.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor, waitForState } from '../../helpers/runway.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';

const redis = useRedis();
const RECORD = resolve('test/fixtures/record-action.mjs');
const running: SlackRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

function yaml(log: string): string {
  const cmd = (...w: string[]) => JSON.stringify(['node', RECORD, log, ...w]);
  return `
version: 1
defaults: { environment: production }
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
services:
  checkout:
    previous_version: v1.2.2
    approvals: { required: 0 }
    actions:
      deploy: { command: ${cmd('deploy', '{{environment}}', '{{version}}')} }
      traffic: { command: ${cmd('traffic', '{{environment}}', '{{percent}}')} }
      rollback: { command: ${cmd('rollback', '{{environment}}', '{{previous_version}}')} }
    stages: [deploy, { traffic: 10, hold: 1h }]
    environments: { staging: {}, production: {} }
`;
}

async function activeIn(r: SlackRunway, environment: string) {
  return waitFor(`checkout active in ${environment}`, async () => {
    const found = (await r.runtime.store.listActive()).find((x) => x.environment === environment);
    return found?.stages[1]?.phase === 'hold' ? found : null;
  });
}

const said = (r: SlackRunway, pattern: RegExp) =>
  waitFor(`an ephemeral to UALICE matching ${pattern}`, async () =>
    r.ws.store.ephemerals('UALICE').find((e) => pattern.test(e.text)),
  );

describe('a service named without an environment', () => {
  it('means its one active release; with two, the person says which with `in <env>`', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'runway-envs-')), 'actions.log');
    const r = await startSlackRunway(redis.url, yaml(log));
    running.push(r);
    const slash = (text: string) => r.ws.slash('UALICE', 'CRELEASES', '/release', text);

    await slash('start checkout v1.3.0 to staging');
    const staging = await activeIn(r, 'staging');
    await slash('pause checkout');
    expect((await waitForState(r.runtime, staging.id, ['paused'])).state).toBe('paused');

    await slash('start checkout v1.3.0 to production');
    const production = await activeIn(r, 'production');
    await slash('resume checkout');
    await said(
      r,
      /checkout has releases active in production and staging; say which: \/release resume checkout in production/,
    );
    expect((await r.runtime.store.get(staging.id))?.state).toBe('paused');

    await slash('resume checkout in staging');
    expect((await waitForState(r.runtime, staging.id, ['running'])).state).toBe('running');
    await slash('rollback checkout in staging the canary looks off');
    const rolled = await waitForState(r.runtime, staging.id, ['rolled_back']);
    expect(rolled.rollback?.reason).toBe('the canary looks off');
    expect((await r.runtime.store.get(production.id))?.state).toBe('running');
  });
});
