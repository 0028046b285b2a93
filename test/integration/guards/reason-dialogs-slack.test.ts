// Reject and Roll back ask for a reason in a dialog (SPEC section 10), through the real Bolt HTTP
// receiver with signing and the in-repo workspace: nothing happens until the dialog is submitted.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor, waitForState } from '../../helpers/runway.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import { messageText } from '../../helpers/workspace.ts';
import type { Message } from '../../../src/sandbox/workspace/types.ts';

const redis = useRedis();
const running: SlackRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

const YAML = `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
services:
  checkout:
    previous_version: v1.2.2
    environments:
      production:
        approvals: { required: 1, approvers: [UBOB, UCAROL] }
        actions:
          deploy: { command: ["node", "-e", "0"] }
          rollback: { command: ["node", "-e", "0"] }
        stages:
          - deploy
          - { bake: 1m }
        rollback_incident: none
`;

async function opened(): Promise<{ r: SlackRunway; card: Message; id: string }> {
  const r = await startSlackRunway(redis.url, YAML);
  running.push(r);
  await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3');
  const card = await r.card('CRELEASES');
  const id = /"value":"(checkout-production-[a-z0-9-]+)"/.exec(JSON.stringify(card.blocks))?.[1] ?? '';
  await waitForState(r.runtime, id, ['awaiting_approval']);
  return { r, card, id };
}
const fresh = (r: SlackRunway, m: Message) => r.ws.store.message(m.channel, m.ts)!;

describe('reason dialogs', () => {
  it('Reject opens a dialog; nothing is rejected until it is submitted with a reason; the reason is on the card', async () => {
    const { r, card, id } = await opened();
    await r.ws.click('UBOB', fresh(r, card), 'release_reject');
    const modal = await waitFor('the reject dialog', async () => r.ws.store.views.openModals('UBOB')[0]);
    expect(JSON.parse(String(modal.definition.private_metadata))).toEqual({ kind: 'reject', releaseId: id });
    expect((await r.runtime.store.get(id))?.state).toBe('awaiting_approval');

    const empty = await r.ws.submitView('UBOB', modal.id, { 'release-reason': { reason: '   ' } });
    expect(empty.body).toContain('Say why');
    expect((await r.runtime.store.get(id))?.state).toBe('awaiting_approval');

    await r.ws.submitView('UBOB', modal.id, { 'release-reason': { reason: 'Missing the DB migration' } });
    const rejected = await waitForState(r.runtime, id, ['rejected']);
    expect(rejected.rejection?.reason).toBe('Missing the DB migration');
    await waitFor('the reason on the card', async () =>
      messageText(fresh(r, card)).includes('Missing the DB migration'),
    );
    await waitFor('the reason in the thread', async () =>
      r.ws.store.replies(card.channel, card.ts).some((m) => m.text.includes('Missing the DB migration')),
    );
    const trail = await r.runtime.engine.auditTrail(id);
    expect(JSON.stringify(trail.find((e) => e.action === 'release.rejected'))).toContain(
      'Missing the DB migration',
    );
  });

  it('a Reject click that would be refused says so at once and opens nothing', async () => {
    const { r, card, id } = await opened();
    await r.ws.click('UALICE', fresh(r, card), 'release_reject');
    await waitFor('the refusal', async () =>
      r.ws.store.ephemerals('UALICE').find((e) => /approve|reject/i.test(e.text)),
    );
    expect(r.ws.store.views.openModals('UALICE')).toEqual([]);
    expect((await r.runtime.store.get(id))?.state).toBe('awaiting_approval');
  });

  it('Roll back opens a dialog with an optional reason; the reason goes on the rollback', async () => {
    const { r, card, id } = await opened();
    await r.runtime.engine.approve(id, { user: 'UBOB' });
    await waitFor('the bake', async () => (await r.runtime.store.get(id))?.stages[1]?.phase === 'hold');
    await waitFor('the rollback button', async () =>
      JSON.stringify(fresh(r, card).blocks).includes('release_rollback'),
    );
    await r.ws.click('UALICE', fresh(r, card), 'release_rollback');
    const modal = await waitFor('the rollback dialog', async () => r.ws.store.views.openModals('UALICE')[0]);
    expect((await r.runtime.store.get(id))?.state).toBe('running');
    await r.ws.submitView('UALICE', modal.id, { 'release-reason': { reason: 'Support tickets spiking' } });
    const done = await waitForState(r.runtime, id, ['rolled_back', 'failed']);
    expect(done.rollback?.reason).toContain('Support tickets spiking');
    await waitFor('the reason on the card', async () =>
      messageText(fresh(r, card)).includes('Support tickets spiking'),
    );
  });
});
