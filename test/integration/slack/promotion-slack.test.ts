// Promotion through Slack (SPEC section 10), with the real Bolt HTTP receiver, real workers and a
// real Redis: a staging release completes, its completion post offers *Start in production*; a click
// by another user opens the production card (a normal start: its own approvals), and the two cards
// link to each other. A double click or a Slack retry starts one release; a start before the soak is
// refused privately, naming what is missing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor, waitForState } from '../../helpers/runway.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import type { Message } from '../../helpers/workspace.ts';
import type { Release } from '../../../src/release/types.ts';

const redis = useRedis();
const RECORD = resolve('test/fixtures/record-action.mjs');
const running: SlackRunway[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const r of running.splice(0)) await r.close();
});

function yaml(log: string, soak: string): string {
  const cmd = (...w: string[]) => JSON.stringify(['node', RECORD, log, ...w]);
  return `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
services:
  checkout:
    previous_version: v1.2.2
    actions:
      deploy: { command: ${cmd('deploy', '{{environment}}', '{{version}}')} }
      rollback: { command: ${cmd('rollback', '{{environment}}', '{{previous_version}}')} }
    stages: [deploy]
    environments:
      staging:
        approvals: { required: 0 }
      production:
        promote_from: staging
        ${soak}
        approvals: { required: 1, approvers: [UCAROL] }
`;
}

function logFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'runway-promo-')), 'actions.log');
}
const lines = (f: string) =>
  existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').filter(Boolean) : [];

async function start(soak: string, log = logFile()): Promise<{ r: SlackRunway; log: string }> {
  const r = await startSlackRunway(redis.url, yaml(log, soak));
  running.push(r);
  return { r, log };
}

const ephemeralTo = (r: SlackRunway, user: string) => r.ws.store.ephemerals(user).map((e) => e.text);
const waitEphemeral = (r: SlackRunway, user: string, pattern: RegExp) =>
  waitFor(`an ephemeral to ${user} matching ${pattern}`, async () =>
    ephemeralTo(r, user).find((t) => pattern.test(t)),
  );
const blocksOf = (m: Message | undefined) => JSON.stringify(m?.blocks ?? []);

/** Alice releases v1.2.3 to staging (no approvals needed); returns it completed and its button post. */
async function completeStaging(r: SlackRunway): Promise<{ staging: Release; post: Message }> {
  await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3 to staging');
  const card = await r.card('CRELEASES', 'checkout-staging-');
  const id = /"value":"(checkout-staging-[a-z0-9-]+)/.exec(blocksOf(card))?.[1];
  // A release that needs no approval may have ended before its card shows (no buttons left to read).
  const active =
    id ??
    (await waitFor('the staging release', async () => {
      const all = [...(await r.runtime.store.listActive()), ...(await r.runtime.store.history('checkout'))];
      return all.find((x) => x.environment === 'staging')?.id;
    }));
  const ended = await waitForState(r.runtime, active, ['completed', 'failed', 'rolled_back']);
  expect(ended.state).toBe('completed');
  // The card's place is recorded when Slack has taken it, which may be after the release completed.
  const staging = await waitFor('the staging card recorded', async () => {
    const now = await r.runtime.store.get(active);
    return now?.card ? now : undefined;
  });
  const post = await waitFor('the completion post with its button', async () =>
    r.ws.store
      .replies(card.channel, card.ts)
      .find((m) => m.text.includes('is live in staging') && blocksOf(m).includes('release_start_in_0')),
  );
  return { staging, post };
}

async function auditAll(r: SlackRunway) {
  const out = [];
  for await (const entry of r.runtime.audit.since()) out.push(entry);
  return out;
}

async function productionReleases(r: SlackRunway): Promise<Release[]> {
  const active = await r.runtime.store.listActive();
  const finished = await r.runtime.store.history('checkout', 50);
  return [...active, ...finished].filter((x) => x.environment === 'production');
}

describe('promotion staging → production through Slack', () => {
  it('offers Start in production; a click by another user opens the production card, linked both ways', async () => {
    const { r, log } = await start('');
    const { staging, post } = await completeStaging(r);
    expect(blocksOf(post)).toContain('Start in production');

    await r.ws.click('UBOB', post, 'release_start_in_0');
    const production = await waitFor('the production release', async () => (await productionReleases(r))[0]);
    expect(production).toMatchObject({
      environment: 'production',
      version: 'v1.2.3',
      requester: 'UBOB',
      state: 'awaiting_approval', // a normal start there: production's own approval is needed
      promotedFrom: { releaseId: staging.id, environment: 'staging', card: staging.card },
    });
    // The production card links back to the staging card…
    const prodCard = await r.card('CRELEASES', production.id);
    const stagingLink = `https://slack.com/archives/${staging.card!.channel}/p${staging.card!.ts.replace('.', '')}`;
    expect(blocksOf(prodCard)).toContain(stagingLink);
    expect(blocksOf(prodCard)).toContain('Promoted from');
    // …and the staging card and thread link to the production card.
    const prodLink = `https://slack.com/archives/${prodCard.channel}/p${prodCard.ts.replace('.', '')}`;
    await waitFor('the staging card links to production', async () =>
      blocksOf(r.ws.store.message(staging.card!.channel, staging.card!.ts)).includes(prodLink),
    );
    await waitFor('the staging thread links to production', async () =>
      r.ws.store
        .replies(staging.card!.channel, staging.card!.ts)
        .some(
          (m) => m.text.includes('<@UBOB> started this version in production') && m.text.includes(prodLink),
        ),
    );
    const stored = await r.runtime.store.get(staging.id);
    expect(stored?.state).toBe('completed');
    expect(stored?.promotedTo).toEqual([
      {
        releaseId: production.id,
        environment: 'production',
        card: { channel: prodCard.channel, ts: prodCard.ts },
      },
    ]);

    // Carol approves; production deploys the same version once.
    await r.ws.click('UCAROL', r.ws.store.message(prodCard.channel, prodCard.ts)!, 'release_approve');
    expect((await waitForState(r.runtime, production.id, ['completed', 'failed'])).state).toBe('completed');
    expect(lines(log).map((l) => l.split(' key=')[0])).toEqual([
      'deploy staging v1.2.3',
      'deploy production v1.2.3',
    ]);
  });

  it('starts one release on a double click and on a Slack retry of the click', async () => {
    const { r } = await start('');
    const { post } = await completeStaging(r);
    const bodies: string[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      if (String(input) === r.appUrl && typeof init?.body === 'string') bodies.push(init.body);
      return realFetch(input, init);
    });
    await Promise.all([
      r.ws.click('UBOB', post, 'release_start_in_0'),
      r.ws.click('UBOB', post, 'release_start_in_0'),
    ]);
    // Slack delivers the first click again.
    await r.ws.send(bodies[0]!, 'application/x-www-form-urlencoded', {
      headers: { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' },
    });
    await waitEphemeral(r, 'UBOB', /already being released to production/);
    await new Promise((done) => setTimeout(done, 500));
    const productions = await productionReleases(r);
    expect(productions).toHaveLength(1);
    expect(r.cards('CRELEASES').filter((m) => blocksOf(m).includes(productions[0]!.id))).toHaveLength(1);
    // The retry was dropped before the engine: one refusal (the second click), not two.
    expect(ephemeralTo(r, 'UBOB').filter((t) => /already being released/.test(t))).toHaveLength(1);
  });

  it('refuses a production start before the soak, privately, saying what is missing and how long is left', async () => {
    const { r, log } = await start('soak: 1h');
    const { post } = await completeStaging(r);

    await r.ws.click('UBOB', post, 'release_start_in_0');
    const clicked = await waitEphemeral(r, 'UBOB', /promoted from staging/);
    expect(clicked).toMatch(/v1\.2\.3 completed in staging .* ago, (59m|1h)\S* left/);

    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3 to production');
    expect(await waitEphemeral(r, 'UALICE', /soak of 1h/)).toMatch(/left/);

    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.4 to production');
    expect(await waitEphemeral(r, 'UALICE', /v1\.2\.4 has never completed in staging/)).toMatch(
      /the last version completed there is v1\.2\.3/,
    );
    expect(await productionReleases(r)).toEqual([]);
    expect(lines(log).map((l) => l.split(' key=')[0])).toEqual(['deploy staging v1.2.3']);
    const refusals = (await auditAll(r)).filter((e) => e.action === 'release.start_refused');
    expect(refusals.length).toBe(3);

    // --hotfix overrides, audited.
    await r.ws.slash(
      'UALICE',
      'CRELEASES',
      '/release',
      'start checkout v1.2.3 to production --hotfix "card payments fail"',
    );
    const hotfix = await waitFor('the hotfix release', async () => (await productionReleases(r))[0]);
    expect(hotfix.hotfix).toEqual({ reason: 'card payments fail' });
    const overrides = await waitFor('the override audit', async () => {
      const found = (await auditAll(r)).filter((e) => e.action === 'policy.override');
      return found.length ? found : undefined;
    });
    expect(JSON.stringify(overrides)).toMatch(/hotfix override: .*staging/);
  });
});
