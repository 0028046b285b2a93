// A runbook naming channels Slack does not have: the release still gets a card (where /release start
// was typed, with a warning), and a notification Slack refuses every time (the handoff to a missing
// on-call channel) is set aside and audited instead of holding back the thread posts after it.
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
channels: { releases: "#nope-releases", on_call: "#nope-oncall", incidents: "#incidents" }
services:
  checkout:
    previous_version: v1.2.2
    environments:
      production:
        approvals: { required: 0 }
        actions:
          deploy: { command: ${cmd('deploy', '{{version}}')} }
          rollback: { command: ${cmd('rollback', '{{previous_version}}')} }
        stages: [deploy]
`;
}

describe('channels the runbook names but Slack does not have', () => {
  it('posts the card where /release start was typed, and sets aside the handoff it cannot post', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'runway-missing-')), 'actions.log');
    const r = await startSlackRunway(redis.url, yaml(log));
    running.push(r);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.3.0');
    const card = await r.card('CRELEASES');
    const id = await waitFor(
      'the release',
      async () =>
        (await r.runtime.store.history('checkout'))[0]?.id ?? (await r.runtime.store.listActive())[0]?.id,
    );
    const thread = () => r.ws.store.replies(card.channel, card.ts).map((m) => m.text);
    await waitFor('the warning in the thread', async () =>
      thread().find((t) => t.includes('#nope-releases does not exist')),
    );
    await waitForState(r.runtime, id, ['completed']);
    // The handoff fails every time; it is set aside and the posts after it still arrive.
    await waitFor('the last thread post', async () => thread().find((t) => /is live/.test(t)), 30_000);
    const audited = await waitFor('the failure audited', async () => {
      for await (const e of r.runtime.audit.since()) if (e.action === 'notification.failed') return e;
      return undefined;
    });
    expect(audited.details).toMatchObject({ kind: 'postHandoff' });
    expect(String((audited.details as { reason: string }).reason)).toContain('#nope-oncall');
  }, 60_000);
});
