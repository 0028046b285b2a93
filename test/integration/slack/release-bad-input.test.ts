// /release with a runbook of two services, through Bolt's real HTTP receiver, against the in-repo
// Slack workspace and a real Redis: typos must not act on the wrong release, refusals for unknown
// names carry the usage line, bad input is audited, a Slack retry of a command acts once, unknown
// buttons are answered, and rollback finds the right release when none is named or active.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor, waitForState } from '../../helpers/runway.ts';
import type { Release } from '../../../src/release/types.ts';
import { SIGNING_SECRET, startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import { signRequest } from '../../../src/sandbox/workspace/signing.ts';
import { findElement } from '../../../src/sandbox/workspace/block-walk.ts';
import { RELEASE_USAGE } from '../../../src/slack/views/help.ts';

const redis = useRedis();
const RECORD = resolve('test/fixtures/record-action.mjs');
const running: SlackRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

function yaml(log: string): string {
  const cmd = (...w: string[]) => JSON.stringify(['node', RECORD, log, ...w]);
  const env = `
        approvals: { required: 0 }
        actions:
          deploy: { command: ${cmd('deploy', '{{service}}', '{{version}}')} }
          traffic: { command: ${cmd('traffic', '{{service}}', '{{percent}}')} }
          rollback: { command: ${cmd('rollback', '{{service}}', '{{previous_version}}')} }
        stages:
          - deploy
          - { traffic: 50, hold: 60s }
          - { traffic: 100 }`;
  return `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
services:
  checkout:
    previous_version: v1.2.2
    environments:
      production:${env}
  payments:
    previous_version: v2.0.0
    environments:
      production:${env}
`;
}

async function start(): Promise<{ r: SlackRunway; log: string }> {
  const log = join(mkdtempSync(join(tmpdir(), 'runway-bad-input-')), 'actions.log');
  const r = await startSlackRunway(redis.url, yaml(log));
  running.push(r);
  return { r, log };
}

async function auditAll(r: SlackRunway) {
  const out = [];
  for await (const entry of r.runtime.audit.since()) out.push(entry);
  return out;
}
/** The recorded actions, without their idempotency keys. */
const lines = (f: string) =>
  existsSync(f)
    ? readFileSync(f, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replace(/ key=.*$/, ''))
    : [];
const ephemeralTo = (r: SlackRunway, user: string) => r.ws.store.ephemerals(user).map((e) => e.text);
const waitEphemeral = (r: SlackRunway, user: string, pattern: RegExp) =>
  waitFor(`an ephemeral to ${user} matching ${pattern}`, async () =>
    ephemeralTo(r, user).find((t) => pattern.test(t)),
  );

const waitForRelease = (r: SlackRunway, id: string, ok: (release: Release) => boolean) =>
  waitFor(`release ${id}`, async () => {
    const release = await r.runtime.store.get(id);
    return release && ok(release) ? release : null;
  });

async function activeCheckout(r: SlackRunway): Promise<string> {
  await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.3.0');
  const id = await waitFor('checkout active', async () => (await r.runtime.store.listActive())[0]?.id);
  await waitForRelease(r, id, (rel) => rel.stageIndex === 1 && rel.stages[1]?.phase === 'hold');
  return id;
}

describe('/release with several services', () => {
  it('refuses a mistyped service instead of acting on the active release, with the usage line, and audits it', async () => {
    const { r } = await start();
    const id = await activeCheckout(r);
    for (const text of ['abort paymnts', 'pause paymnts', 'freeze paymnts']) {
      const ack = await r.ws.slash('UALICE', 'CRELEASES', '/release', text);
      expect(ack.status).toBe(200);
    }
    const replies = await waitFor('three refusals', async () => {
      const found = ephemeralTo(r, 'UALICE').filter((t) => t.includes('no service "paymnts"'));
      return found.length === 3 ? found : undefined;
    });
    for (const reply of replies) expect(reply).toContain(RELEASE_USAGE);
    const release = await r.runtime.store.get(id);
    expect(release?.state).toBe('running');
    expect(await r.runtime.store.listFreezes()).toEqual({});
    const audited = await waitFor('the refusals audited', async () => {
      const all = await auditAll(r);
      const refused = all.filter((e) => e.action === 'refused.command' && e.actor === 'UALICE');
      return refused.length === 3 ? refused : undefined;
    });
    expect(audited.map((e) => (e.details as { command: string }).command)).toEqual([
      '/release abort paymnts',
      '/release pause paymnts',
      '/release freeze paymnts',
    ]);
  });

  it('adds the usage line when the engine cannot tell which service is meant', async () => {
    const { r } = await start();
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start v1.2.3');
    const reply = await waitEphemeral(r, 'UALICE', /service/i);
    expect(reply).toContain(RELEASE_USAGE);
    expect(await r.runtime.store.listActive()).toEqual([]);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'audit no-such-release');
    expect(await waitEphemeral(r, 'UALICE', /no release `no-such-release`/)).toContain(RELEASE_USAGE);
    // Bad commands the engine refuses are audited like those the parser refuses.
    const audited = await waitFor('both audited', async () => {
      const refused = (await auditAll(r)).filter((e) => e.action === 'refused.command');
      return refused.length === 2 ? refused : undefined;
    });
    expect(audited.map((e) => (e.details as { command: string }).command)).toEqual([
      '/release start v1.2.3',
      '/release audit no-such-release',
    ]);
  });

  it('rolls back the one active release when no service is named', async () => {
    const { r, log } = await start();
    const id = await activeCheckout(r);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'rollback');
    await waitForState(r.runtime, id, ['rolled_back']);
    expect(lines(log)).toContain('rollback checkout v1.2.2');
  });

  it('acts once on a slash command Slack sends again (same trigger_id, X-Slack-Retry-Num)', async () => {
    const { r, log } = await start();
    const body = new URLSearchParams({
      token: 'x',
      team_id: r.ws.store.team.id,
      channel_id: r.ws.store.resolveChannel('CRELEASES')!.id,
      user_id: 'UALICE',
      command: '/release',
      text: 'start payments v2.1.0',
      response_url: `${r.ws.url}/no-response`,
      trigger_id: '1234.5678.abcdef',
      api_app_id: r.ws.store.bot.app_id,
    }).toString();
    const post = (retry?: string) =>
      fetch(r.appUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          ...signRequest(SIGNING_SECRET, body),
          ...(retry ? { 'X-Slack-Retry-Num': retry, 'X-Slack-Retry-Reason': 'http_timeout' } : {}),
        },
        body,
      });
    expect((await post()).status).toBe(200);
    expect((await post('1')).status).toBe(200);
    const id = await waitFor('payments active', async () => (await r.runtime.store.listActive())[0]?.id);
    await waitForRelease(r, id, (rel) => rel.stageIndex === 1);
    expect(lines(log).filter((l) => l.startsWith('deploy payments'))).toEqual(['deploy payments v2.1.0']);
    const refusals = (await auditAll(r)).filter((e) => e.action === 'release.start_refused');
    expect(refusals).toEqual([]);
  });

  it('answers an unknown button, even one named like a release button, and audits it', async () => {
    const { r } = await start();
    await activeCheckout(r);
    const card = await r.card('CRELEASES');
    const blocks = [
      {
        type: 'actions' as const,
        block_id: 'odd',
        elements: [
          {
            type: 'button' as const,
            action_id: 'release_frobnicate',
            text: { type: 'plain_text' as const, text: 'Frob' },
            value: 'x',
          },
        ],
      },
    ];
    const odd = r.ws.store.postMessage({
      channel: card.channel,
      text: 'old message',
      blocks,
      user: r.ws.store.bot.user_id,
    });
    const response = await r.ws.click('UBOB', odd, 'release_frobnicate');
    expect(response.status).toBe(200);
    await waitEphemeral(r, 'UBOB', /does not know this button/);
    await waitFor('the unknown button audited', async () =>
      (await auditAll(r)).find((e) => e.action === 'refused.command' && e.actor === 'UBOB'),
    );
  });
});

describe('Promote on the card', () => {
  it('carries its stage: a second click on the same card is refused instead of promoting the next stage', async () => {
    const { r } = await start();
    const id = await activeCheckout(r);
    const card = await r.card('CRELEASES');
    // The card as both clicks saw it: holding at stage 2, with its Promote button.
    const seen = await waitFor('the Promote button', async () => {
      const m = r.ws.store.message(card.channel, card.ts)!;
      return JSON.stringify(m.blocks ?? []).includes('release_promote') ? m : undefined;
    });
    // The second click sends the button as it was then, whatever the card shows by now (the card
    // may already have been redrawn without it, as a slow Slack client would not have been).
    const button = findElement(structuredClone(seen.blocks ?? []), 'release_promote');
    if (!button) throw new Error('no Promote button on the card');
    await r.ws.click('UALICE', seen, 'release_promote');
    await waitForRelease(r, id, (rel) => rel.stageIndex === 2);
    await r.ws.click('UALICE', seen, 'release_promote', undefined, {
      element: button.element,
      blockId: button.block_id,
    });
    await waitEphemeral(r, 'UALICE', /Stage 2 was already promoted/);
  });
});

describe('/release rollback of a finished release', () => {
  it('ignores dry runs: with only a dry run finished there is nothing to roll back', async () => {
    const { r, log } = await start();
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v9.9.9 --dry-run');
    await waitFor(
      'the dry run finished',
      async () => (await r.runtime.store.history('checkout')).length === 1,
    );
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'rollback checkout');
    await waitEphemeral(r, 'UALICE', /no finished one left running/);
    expect(await r.runtime.store.listActive()).toEqual([]);
    expect(lines(log)).toEqual([]);
  });

  it('rolls back an aborted release (its version may be half live) to its previous version', async () => {
    const { r, log } = await start();
    const id = await activeCheckout(r);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'abort checkout');
    await waitForState(r.runtime, id, ['aborted']);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'rollback checkout');
    await waitEphemeral(r, 'UALICE', /Rolling back \*checkout\*/);
    await waitFor('the rollback action', async () => lines(log).includes('rollback checkout v1.2.2'));
  });

  it('lifts every freeze with unfreeze all', async () => {
    const { r } = await start();
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'freeze checkout');
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'freeze payments');
    await waitFor('two freezes', async () => Object.keys(await r.runtime.store.listFreezes()).length === 2);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'unfreeze all');
    await waitEphemeral(r, 'UALICE', /Unfrozen: all services/);
    expect(await r.runtime.store.listFreezes()).toEqual({});
  });
});
