// A user group that Slack will not resolve (usergroups.users.list fails: a missing usergroups:read
// scope, a mistyped S… id) must not leave a click unanswered: the clicker is told why, nothing changes.
import { afterEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';

const redis = useRedis();
const RECORD = resolve('test/fixtures/record-action.mjs');
const running: SlackRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

const yaml = (log: string) => {
  const cmd = (...w: string[]) => JSON.stringify(['node', RECORD, log, ...w]);
  return `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
services:
  checkout:
    previous_version: v1.2.2
    environments:
      production:
        approvals: { required: 1, approvers: [S0SRETEAM] }
        actions:
          deploy: { command: ${cmd('deploy', '{{version}}')} }
          rollback: { command: ${cmd('rollback', '{{previous_version}}')} }
        stages: [deploy]
`;
};

describe('approver groups Slack cannot resolve', () => {
  it('answers the Approve click with a reason when usergroups.users.list fails', async () => {
    const r = await startSlackRunway(redis.url, yaml('/dev/null'));
    running.push(r);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3');
    const card = await r.card('CRELEASES');
    const id = /"value":"(checkout-production-[a-z0-9-]+)"/.exec(JSON.stringify(card.blocks))![1]!;
    await waitFor(
      'awaiting approval',
      async () => (await r.runtime.store.get(id))?.state === 'awaiting_approval',
    );
    r.ws.failNext('usergroups.users.list', { error: 'missing_scope' }, 1);
    await r.ws.click('UBOB', r.ws.store.message(card.channel, card.ts)!, 'release_approve');
    const reply = await waitFor('an ephemeral to bob', async () =>
      r.ws.store
        .ephemerals('UBOB')
        .map((e) => e.text)
        .find((t) => /could not read the members/.test(t)),
    );
    expect(reply).toContain('<!subteam^S0SRETEAM>');
    expect(reply).toContain('usergroups:read');
    expect((await r.runtime.store.get(id))?.approvals).toEqual([]);
    const trail = await r.runtime.engine.auditTrail(id);
    expect(trail.some((e) => e.action === 'refused.approved' && e.actor === 'UBOB')).toBe(true);
    // Once Slack answers again, the same click counts (nothing was cached from the failure).
    await r.ws.click('UBOB', r.ws.store.message(card.channel, card.ts)!, 'release_approve');
    await waitFor('approved by bob', async () => (await r.runtime.store.get(id))?.approvals.length === 1);
  });

  it('answers /release freeze with a reason when the group cannot be read', async () => {
    const r = await startSlackRunway(redis.url, yaml('/dev/null'));
    running.push(r);
    r.ws.failNext('usergroups.users.list', { error: 'no_such_subteam' }, 1);
    await r.ws.slash('UBOB', 'CRELEASES', '/release', 'freeze checkout');
    await waitFor('an ephemeral to bob', async () =>
      r.ws.store
        .ephemerals('UBOB')
        .map((e) => e.text)
        .find((t) => /could not read the members/.test(t)),
    );
    expect(await r.runtime.store.listFreezes()).toEqual({});
  });
});
