import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor, waitForState } from '../../helpers/runway.ts';
import { SIGNING_SECRET, startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import { signRequest } from '../../../src/sandbox/workspace/signing.ts';
import { validateMessage, validateBlocks } from '../../../src/slack/blockkit.ts';
import type { Message } from '../../../src/sandbox/workspace/types.ts';
import type { KnownBlock } from '@slack/types';

const redis = useRedis();
const RECORD = resolve('test/fixtures/record-action.mjs');
const running: SlackRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    assertEveryPayloadWithinLimits(r);
    await r.close();
  }
});

function yaml(log: string, extra = ''): string {
  const cmd = (...w: string[]) => JSON.stringify(['node', RECORD, log, ...w]);
  return `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
services:
  checkout:
    previous_version: v1.2.2
    environments:
      production:
        approvals: { required: 2, approvers: [S0SRETEAM] }
        preflight:
          - { id: backup, title: Database backup completed, manual: true }
        actions:
          deploy: { command: ${cmd('deploy', '{{version}}')} }
          traffic: { command: ${cmd('traffic', '{{percent}}')} }
          rollback: { command: ${cmd('rollback', '{{previous_version}}')} }
        stages:
          - deploy
          - { traffic: 50, hold: 1500ms }
          - { traffic: 100 }
${extra}`;
}

function logFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'runway-slack-')), 'actions.log');
}
const lines = (f: string) =>
  existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').filter(Boolean) : [];

async function start(log = logFile(), extra = ''): Promise<SlackRunway> {
  const r = await startSlackRunway(redis.url, yaml(log, extra));
  running.push(r);
  return r;
}

function assertEveryPayloadWithinLimits(r: SlackRunway): void {
  for (const method of ['chat.postMessage', 'chat.update', 'chat.postEphemeral']) {
    for (const call of r.ws.calls(method)) {
      const blocks = parseBlocks(call.args.blocks);
      const text = typeof call.args.text === 'string' ? call.args.text : undefined;
      expect(
        validateMessage({ ...(text !== undefined ? { text } : {}), ...(blocks ? { blocks } : {}) }),
        `${method} payload`,
      ).toEqual([]);
    }
  }
  for (const call of r.ws.calls('views.publish')) {
    const view = (typeof call.args.view === 'string' ? JSON.parse(call.args.view) : call.args.view) as {
      blocks: KnownBlock[];
    };
    expect(validateBlocks(view.blocks, { surface: 'home' })).toEqual([]);
  }
}

function parseBlocks(value: unknown): KnownBlock[] | undefined {
  if (value === undefined) return undefined;
  return (typeof value === 'string' ? JSON.parse(value) : value) as KnownBlock[];
}

const ephemeralTo = (r: SlackRunway, user: string) => r.ws.store.ephemerals(user).map((e) => e.text);
async function waitEphemeral(r: SlackRunway, user: string, pattern: RegExp): Promise<string> {
  return waitFor(`an ephemeral to ${user} matching ${pattern}`, async () =>
    ephemeralTo(r, user).find((t) => pattern.test(t)),
  );
}
const buttonsOf = (m: Message) => JSON.stringify(m.blocks ?? []);
const releaseIdOf = (m: Message): string => {
  const match = /"value":"(checkout-production-[a-z0-9-]+)"/.exec(buttonsOf(m));
  if (!match?.[1]) throw new Error('no release id on the card');
  return match[1];
};

describe('/release through Slack', () => {
  it('runs a whole release approved by two approvers, editing one card in place', async () => {
    const log = logFile();
    const r = await start(log);
    const ack = await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3 Adds Apple Pay');
    expect(ack.status).toBe(200);
    let card = await r.card('CRELEASES');
    const id = releaseIdOf(card);
    expect(buttonsOf(card)).toContain('release_approve');
    await r.ws.tick('UALICE', card, 'preflight_tick', ['backup']);
    await waitFor(
      'the backup ticked',
      async () => (await r.runtime.store.get(id))?.preflight[0]?.status === 'passed',
    );
    card = r.ws.store.message(card.channel, card.ts)!;
    await r.ws.click('UBOB', card, 'release_approve');
    await waitFor('bob approval', async () => (await r.runtime.store.get(id))?.approvals.length === 1);
    await r.ws.click('UCAROL', card, 'release_approve');
    const done = await waitForState(r.runtime, id, ['completed', 'rolled_back', 'failed']);
    expect(done.state).toBe('completed');
    expect(lines(log).map((l) => l.split(' key=')[0])).toEqual([
      'deploy v1.2.3',
      'traffic 50',
      'traffic 100',
    ]);
    // One card, edited in place; the story in its thread.
    await waitFor('the final card', async () =>
      /completed|live/i.test(JSON.stringify(r.ws.store.message(card.channel, card.ts)?.blocks)),
    );
    expect(r.cards('CRELEASES')).toHaveLength(1);
    expect(r.ws.calls('chat.update').length).toBeGreaterThan(0);
    const final = r.ws.store.message(card.channel, card.ts)!;
    expect(final.edited).toBeDefined();
    expect(buttonsOf(final)).not.toContain('release_approve');
    await waitFor('the last thread reply', async () =>
      r.ws.store.replies(card.channel, card.ts).some((m) => m.text.includes('is live in production')),
    );
    const thread = r.ws.store.replies(card.channel, card.ts).map((m) => m.text);
    expect(thread.some((t) => t.includes('Approved by <@UBOB> (1/2)'))).toBe(true);
    expect(thread.some((t) => t.includes('Stage 1/3 started'))).toBe(true);
    expect(thread.some((t) => t.includes('is live in production'))).toBe(true);
    // At most one card edit per second (coalesced), with a little slack for timer jitter.
    const edits = r.ws.calls('chat.update').map((c) => c.at);
    for (let i = 1; i < edits.length; i++) expect(edits[i]! - edits[i - 1]!).toBeGreaterThanOrEqual(900);
    // Every click was audited with its user.
    const trail = await r.runtime.engine.auditTrail(id);
    expect(trail.filter((e) => e.action === 'release.approved').map((e) => e.actor)).toEqual([
      'UBOB',
      'UCAROL',
    ]);
  });

  it('refuses self-approval with an ephemeral message and changes nothing', async () => {
    const r = await start();
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3');
    const card = await r.card('CRELEASES');
    const id = releaseIdOf(card);
    await r.ws.tick('UALICE', card, 'preflight_tick', ['backup']);
    await waitFor('ticked', async () => (await r.runtime.store.get(id))?.preflight[0]?.status === 'passed');
    // alice is in no approver group, and is the requester
    r.ws.store.addUserGroup({ id: 'S0SRETEAM', handle: 'sre', users: ['UBOB', 'UCAROL', 'UALICE'] });
    await r.ws.click('UALICE', r.ws.store.message(card.channel, card.ts)!, 'release_approve');
    await waitEphemeral(r, 'UALICE', /cannot approve it yourself/);
    expect((await r.runtime.store.get(id))?.approvals).toEqual([]);
    const trail = await r.runtime.engine.auditTrail(id);
    expect(trail.some((e) => e.action === 'refused.approved' && e.actor === 'UALICE')).toBe(true);
  });

  it('counts a double click once', async () => {
    const r = await start();
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3');
    const card = await r.card('CRELEASES');
    const id = releaseIdOf(card);
    await r.ws.tick('UALICE', card, 'preflight_tick', ['backup']);
    await waitFor('ticked', async () => (await r.runtime.store.get(id))?.preflight[0]?.status === 'passed');
    const fresh = r.ws.store.message(card.channel, card.ts)!;
    await Promise.all([
      r.ws.click('UBOB', fresh, 'release_approve'),
      r.ws.click('UBOB', fresh, 'release_approve'),
    ]);
    await waitEphemeral(r, 'UBOB', /already approved/);
    const release = await r.runtime.store.get(id);
    expect(release?.approvals.map((a) => a.user)).toEqual(['UBOB']);
    expect(release?.state).toBe('awaiting_approval');
  });

  it('refuses a rollback from someone who may not roll back', async () => {
    const r = await start();
    r.ws.store.addUser({ id: 'UDAVE', name: 'dave' });
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3');
    const card = await r.card('CRELEASES');
    const id = releaseIdOf(card);
    await r.ws.tick('UALICE', card, 'preflight_tick', ['backup']);
    await waitFor('ticked', async () => (await r.runtime.store.get(id))?.preflight[0]?.status === 'passed');
    await r.ws.click('UBOB', r.ws.store.message(card.channel, card.ts)!, 'release_approve');
    await waitFor('bob', async () => (await r.runtime.store.get(id))?.approvals.length === 1);
    await r.ws.click('UCAROL', r.ws.store.message(card.channel, card.ts)!, 'release_approve');
    await waitFor('the hold', async () => (await r.runtime.store.get(id))?.stages[1]?.phase === 'hold');
    await waitFor('the rollback button', async () =>
      buttonsOf(r.ws.store.message(card.channel, card.ts)!).includes('release_rollback'),
    );
    await r.ws.click('UDAVE', r.ws.store.message(card.channel, card.ts)!, 'release_rollback');
    await waitEphemeral(r, 'UDAVE', /Only the requester/);
    const after = await r.runtime.store.get(id);
    expect(after?.state).not.toBe('rolling_back');
    expect(after?.rollback).toBeUndefined();
  });

  it.each([
    ['start checkout', /Say which version/],
    ['start checkout latest', /not valid/],
    ['start payments v1.0.0', /no service "payments"/],
    ['start checkout v1.2.3 to prod', /no environment "prod"/],
    ['start checkout v1.2.3; rm -rf /', /not valid/],
    ['start checkout v1.2.3 --force', /Unknown option/],
    ['frobnicate', /not a \/release command/],
  ])('answers %j ephemerally with the usage and changes nothing', async (text, pattern) => {
    const r = await start();
    const ack = await r.ws.slash('UALICE', 'CRELEASES', '/release', text);
    expect(ack.status).toBe(200);
    const reply = await waitEphemeral(r, 'UALICE', pattern);
    expect(reply).toContain('/release start');
    expect(r.ws.store.history('CRELEASES')).toEqual([]);
    expect(await r.runtime.store.listActive()).toEqual([]);
    expect(r.ws.calls('chat.postMessage')).toEqual([]);
  });

  it('answers forged and stale signatures with 401', async () => {
    const r = await start();
    const body = new URLSearchParams({
      command: '/release',
      text: 'status',
      user_id: 'UALICE',
      channel_id: 'CRELEASES',
    }).toString();
    const post = (headers: object) =>
      fetch(r.appUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          ...(headers as Record<string, string>),
        },
        body,
      });
    const forged = await post(signRequest('not-the-secret-at-all', body));
    expect(forged.status).toBe(401);
    const stale = await post(signRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 600));
    expect(stale.status).toBe(401);
    const unsigned = await post({});
    expect(unsigned.status).toBe(401);
    expect(await r.runtime.store.listActive()).toEqual([]);
    // Audited, not only logged (SPEC 8); a burst is folded into the next entry.
    const rejected = async () =>
      (await r.runtime.audit.latest(50)).filter((e) => e.action === 'slack.request_rejected');
    const first = await waitFor('the first rejection audited', async () => (await rejected())[0]);
    expect(first).toMatchObject({
      actor: 'unknown',
      details: { reason: 'forged: the signature does not match the signing secret', path: '/slack/events' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await post(signRequest('still-not-the-secret', body))).status).toBe(401);
    const next = await waitFor('the next rejection audited', async () =>
      (await rejected()).find((e) => e.details?.['alsoRejectedSinceLastEntry'] === 2),
    );
    expect(next.details?.['reason']).toMatch(/^forged/);
  });

  it('lets one of two simultaneous starts win, and tells the other where the active one is', async () => {
    const r = await start();
    await Promise.all([
      r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3'),
      r.ws.slash('UBOB', 'CRELEASES', '/release', 'start checkout v1.2.4'),
    ]);
    await waitFor(
      'both answers',
      async () => ephemeralTo(r, 'UALICE').length + ephemeralTo(r, 'UBOB').length >= 2,
    );
    const answers = [...ephemeralTo(r, 'UALICE'), ...ephemeralTo(r, 'UBOB')];
    const opened = answers.filter((t) => t.startsWith('Release opened'));
    expect(opened).toHaveLength(1);
    // Typed in the releases channel itself: the card is posted "here", not "in the releases channel".
    expect(opened[0]).toMatch(/The card with the checklist and buttons is being posted here\.$/);
    const refusal = answers.filter((t) => t.includes('already being released'));
    expect(refusal).toHaveLength(1);
    // The winner's card did not exist yet when the loser was refused: the refusal still links to it,
    // in this workspace (auth.test's url), not through slack.com.
    expect(refusal[0]).toContain(`${r.ws.url}/archives/C`);
    expect(refusal[0]).toMatch(/\/archives\/C\w+\/p\d+/);
    expect(refusal[0]).not.toContain('https://slack.com');
    expect(await r.runtime.store.listActive()).toHaveLength(1);
    await r.card('CRELEASES');
    expect(r.cards('CRELEASES')).toHaveLength(1);
  });

  it('survives 429s with Retry-After on card edits and thread replies', async () => {
    const r = await start();
    r.ws.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 1);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3 --dry-run');
    const card = await r.card('CRELEASES');
    r.ws.failNext('chat.update', { status: 429, retryAfter: 1 }, 2);
    await waitFor('the dry run in the thread', async () =>
      r.ws.store.replies(card.channel, card.ts).some((m) => m.text.includes('Dry run')),
    );
    expect(
      r.ws.calls('chat.postMessage').some((c) => c.fault && 'status' in c.fault && c.fault.status === 429),
    ).toBe(true);
    expect(r.cards('CRELEASES')).toHaveLength(1);
  });

  it('answers status, list, history, help and audit ephemerally', async () => {
    const r = await start();
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3 Adds Apple Pay');
    const card = await r.card('CRELEASES');
    const id = releaseIdOf(card);
    await r.ws.slash('UBOB', 'CRELEASES', '/release', 'status');
    await waitEphemeral(r, 'UBOB', /checkout/);
    await r.ws.slash('UBOB', 'CRELEASES', '/release', 'help');
    await waitEphemeral(r, 'UBOB', /sev1/i);
    await r.ws.slash('UBOB', 'CRELEASES', '/release', `audit ${id}`);
    await waitEphemeral(r, 'UBOB', /release\.started/);
    await r.ws.openHome('UBOB');
    await waitFor('the home tab', async () => r.ws.calls('views.publish').length === 1);
  });
});
