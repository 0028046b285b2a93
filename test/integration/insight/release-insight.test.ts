// The changelog, GitHub deployments and canary charts in a real release: Runway's Bolt app, workers
// and Redis, the in-repo Slack workspace (its files endpoints hold the uploaded PNG), a real git
// repository made here, a Prometheus-shaped metrics server and the GitHub fake.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messageText } from '../../helpers/workspace.ts';
import type { Message } from '../../../src/sandbox/workspace/types.ts';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor, waitForState } from '../../helpers/runway.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import { sendJson, startServer, type TestServer } from '../../helpers/http-server.ts';
import { makeGitRepo } from '../../helpers/git-repo.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-github.ts';

const redis = useRedis();
const repo = makeGitRepo();
repo.commit('Initial import');
repo.tag('v1.0.0');
repo.commit('Add Apple Pay', 'Ada Lovelace');
repo.commit('Fix rounding of totals', 'Grace Hopper');
repo.commit('Speed up the cart page', 'Ada Lovelace');
repo.tag('v1.1.0');

let errorRate = 0.001;
let prometheus: TestServer;
let github: FakeGithub;
beforeAll(async () => {
  prometheus = await startServer((_req, res) =>
    sendJson(res, 200, {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, String(errorRate)] }] },
    }),
  );
  github = await startFakeGithub({ token: 'ghp_insight' });
  for (const [i, tag] of ['v1.0.0', 'v1.1.0', 'v1.3.0-bad'].entries()) {
    const sha = String(i + 1).repeat(40);
    github.repo.commits.push({
      sha,
      message: tag,
      author: { name: 'A', email: 'a@x', date: '2026-01-01T00:00:00Z' },
    });
    github.repo.refs[tag] = sha;
  }
});
const running: SlackRunway[] = [];
afterEach(async () => {
  errorRate = 0.001;
  for (const r of running.splice(0)) await r.close();
});
afterAll(async () => {
  await Promise.all([prometheus.close(), github.close()]);
  repo.remove();
});

function yaml(hold = '800ms'): string {
  return `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
defaults:
  changelog: { git: "${repo.dir}" }
  github_deployments: { repo: acme/shop, token: ghp_insight, api_url: "${github.url}" }
services:
  checkout:
    previous_version: v1.0.0
    environments:
      production:
        approvals: { required: 1 }
        actions:
          deploy: { command: ["node", "-e", "0"] }
          traffic: { command: ["node", "-e", "0"] }
          rollback: { command: ["node", "-e", "0"] }
        gates:
          error_rate:
            prometheus: { url: "${prometheus.url}", query: 'sum(rate(errors[1m]))' }
            max: 0.005
            for: 300ms
            every: 100ms
        stages:
          - deploy
          - { traffic: 10, hold: ${hold}, gates: [error_rate] }
          - { traffic: 100 }
        rollback_incident: none
`;
}

async function start(hold?: string): Promise<SlackRunway> {
  const r = await startSlackRunway(redis.url, yaml(hold));
  running.push(r);
  return r;
}

async function release(r: SlackRunway, version: string): Promise<string> {
  const started = await r.runtime.engine.start({
    service: 'checkout',
    version,
    requester: 'UALICE',
    originChannel: 'CRELEASES',
  });
  if (!started.ok) throw new Error(started.reason);
  return started.release.id;
}

const thread = (r: SlackRunway, card: Message) => r.ws.store.replies('CRELEASES', card.ts).slice(1);
const releaseOf = (d: { payload?: unknown }) =>
  (d.payload as { runway_release?: string } | undefined)?.runway_release;
const texts = (messages: Message[]) => messages.map((m) => messageText(m));

function pngOf(r: SlackRunway, message: Message): Buffer {
  const file = message.files?.[0];
  expect(file, 'a file in the message').toBeDefined();
  const stored = r.ws.store.files.get(file!.id);
  expect(stored?.mimetype).toBe('image/png');
  const content = stored!.content!;
  expect(content.subarray(1, 4).toString('ascii')).toBe('PNG');
  expect(content.readUInt32BE(16)).toBeGreaterThan(1000); // IHDR width
  return content;
}

describe('what changed and how it went, in a release', () => {
  it('lists the commits since the previous tag on the card and in the handoff, and charts the gates at completion', async () => {
    const r = await start();
    const id = await release(r, 'v1.1.0');
    const card = await waitFor('the card with its changelog', async () => {
      const c = await r.card('CRELEASES', id);
      return messageText(c).includes('Changes since v1.0.0') ? c : null;
    });
    const text = messageText(card);
    expect(text).toContain('(3 commits)');
    for (const line of [
      'Speed up the cart page — Ada Lovelace',
      'Fix rounding of totals — Grace Hopper',
      'Add Apple Pay',
    ])
      expect(text).toContain(line);
    expect(await r.runtime.engine.approve(id, { user: 'UBOB' })).toMatchObject({ ok: true });
    await waitForState(r.runtime, id, ['completed']);

    const handoff = await waitFor('the release handoff', async () =>
      r.ws.store.history('CONCALL').find((m) => messageText(m).includes('Release handoff')),
    );
    expect(messageText(handoff)).toContain('Fix rounding of totals — Grace Hopper');
    const chart = await waitFor('the chart in the thread', async () =>
      thread(r, card).find((m) => (m.files?.length ?? 0) > 0),
    );
    expect(messageText(chart)).toContain('Canary chart');
    pngOf(r, chart);
    expect(texts(thread(r, card)).some((t) => t.includes('No changelog'))).toBe(false);

    // GitHub: the deployment for v1.1.0 went in_progress, then success.
    const deployment = await waitFor('the GitHub deployment to succeed', async () =>
      github.repo.deployments.find(
        (d) => d.ref === 'v1.1.0' && d.statuses.some((s) => s.state === 'success'),
      ),
    );
    expect(deployment.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(deployment.payload).toEqual({ runway_release: id });
    expect(deployment.statuses[0]?.log_url).toMatch(/^https:\/\/slack\.com\/archives\/CRELEASES\/p\d+$/);
    const audit = await r.runtime.audit.forRelease(id);
    expect(audit.find((e) => e.action === 'changelog.found')?.details).toMatchObject({ total: 3 });

    // The delivery figures see this deployment and its lead time (the changelog's oldest commit).
    await r.ws.slash('UBOB', 'CRELEASES', '/release', 'stats checkout --days 7');
    const stats = await waitFor('the stats reply', async () =>
      r.ws.store
        .ephemerals('UBOB')
        .map((e) => messageText(e))
        .find((t) => t.includes('Delivery figures')),
    );
    expect(stats).toContain('last 7 days');
    expect(stats).toContain('Deployments: *1*');
    expect(stats).toContain('Change failure rate: *0%* (0 of 1 changes');
    expect(stats).toMatch(/Lead time for changes: \*\d+d[^*]*\* \(median of 1/);
    await r.ws.openHome('UBOB');
    const home = await waitFor('the home tab', async () => r.ws.calls('views.publish')[0]);
    expect(JSON.stringify(home.args.view)).toContain('Delivery, last 30 days');
  });

  it('says once in the thread that there is no changelog when a tag is missing', async () => {
    const r = await start();
    const id = await release(r, 'v9.9.9');
    const card = await r.card('CRELEASES', id);
    await waitFor('the note', async () => texts(thread(r, card)).some((t) => t.includes('No changelog')));
    await r.runtime.engine.approve(id, { user: 'UBOB' });
    await waitForState(r.runtime, id, ['completed', 'failed', 'rolled_back']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const notes = texts(thread(r, card)).filter((t) => t.includes('No changelog'));
    expect(notes).toEqual([
      `:page_facing_up: No changelog for this release: v9.9.9 is not in the git clone at ${repo.dir}.`,
    ]);
    expect(messageText(card)).not.toContain('Changes since');
    // The job again (a re-delivery): nothing new is said.
    expect(await r.runtime.insight.service.changelog(id)).toBe('no changelog (said)');
    expect(texts(thread(r, card)).filter((t) => t.includes('No changelog'))).toHaveLength(1);
  });

  it('uploads the canary chart in the thread when a gate breach rolls the release back, and tells GitHub it failed', async () => {
    // A long hold: the breach, not the end of the hold, ends this release.
    const r = await start('1m');
    const id = await release(r, 'v1.3.0-bad');
    const card = await r.card('CRELEASES', id);
    await r.runtime.engine.approve(id, { user: 'UBOB' });
    await waitFor('traffic at 10%', async () => (await r.runtime.store.get(id))?.traffic === 10);
    await waitFor('a few samples', async () => (await r.runtime.insight.samples.list(id)).length >= 2);
    errorRate = 0.05;
    await waitForState(r.runtime, id, ['rolled_back']);
    const chart = await waitFor('the breach chart', async () =>
      thread(r, card).find((m) => (m.files?.length ?? 0) > 0),
    );
    expect(messageText(chart)).toContain('Canary chart at the breach');
    expect(messageText(chart)).toContain('error_rate');
    pngOf(r, chart);
    expect(r.ws.calls('files.getUploadURLExternal').length).toBe(1);
    expect(r.ws.calls('files.completeUploadExternal')[0]?.args).toMatchObject({
      channel_id: 'CRELEASES',
      thread_ts: card.ts,
    });

    // Audited by the delivery layer once Slack had it.
    const posted = await waitFor('the chart.posted audit entry', async () =>
      (await r.runtime.audit.forRelease(id)).find((e) => e.action === 'chart.posted'),
    );
    expect(posted.details).toMatchObject({ why: 'breach' });

    // The chart job again (a re-delivery): no second upload.
    const [job] = (await r.runtime.queues.insight.getJobs()).filter((j) => j.name === 'chart');
    expect(job?.data.breach).toMatch(/^e\d+-error_rate-\d+$/);
    expect(await r.runtime.insight.service.chart(id, 'breach', job?.data.breach)).toBe('posted already');
    expect(r.ws.calls('files.getUploadURLExternal').length).toBe(1);

    const samples = await r.runtime.insight.samples.list(id);
    expect(samples.some((s) => s.verdict === 'breach' && s.value === 0.05)).toBe(true);
    const deployment = await waitFor('the GitHub deployment to fail', async () =>
      github.repo.deployments.find((d) => d.ref === 'v1.3.0-bad' && d.statuses.length >= 2),
    );
    expect(deployment.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    // The version the rollback put back is what runs now.
    const restored = await waitFor('the restored version deployed', async () =>
      github.repo.deployments.find((d) => d.ref === 'v1.0.0'),
    );
    expect(restored.payload).toEqual({ runway_release: id, runway_restore: true });
    expect(restored.statuses.map((s) => s.state)).toEqual(['success']);
  });

  it('/release rollback of a finished release: GitHub shows its deployment inactive and the restored version live', async () => {
    const r = await start();
    const id = await release(r, 'v1.1.0');
    await r.runtime.engine.approve(id, { user: 'UBOB' });
    await waitForState(r.runtime, id, ['completed']);
    const live = await waitFor('the v1.1.0 deployment live', async () =>
      github.repo.deployments.find(
        (d) => releaseOf(d) === id && d.statuses.some((s) => s.state === 'success'),
      ),
    );
    const rolled = await r.runtime.engine.rollback({
      service: 'checkout',
      reason: 'the cart is slow',
      actor: { user: 'UALICE' },
    });
    if (!rolled.ok) throw new Error(rolled.reason);
    expect(rolled.release.kind).toBe('rollback');
    await waitForState(r.runtime, rolled.release.id, ['rolled_back']);
    const restored = await waitFor('the restored deployment', async () =>
      github.repo.deployments.find((d) => releaseOf(d) === rolled.release.id),
    );
    expect(restored).toMatchObject({ ref: 'v1.0.0', environment: 'production' });
    await waitFor('its success', async () => restored.statuses.some((s) => s.state === 'success'));
    expect(restored.statuses.map((s) => s.state)).toEqual(['success']);
    await waitFor(
      'the rolled-back deployment inactive',
      async () => live.statuses.at(-1)?.state === 'inactive',
    );
    expect(live.statuses.map((s) => s.state)).toEqual(['in_progress', 'success', 'inactive']);
    expect(live.statuses.at(-1)?.description).toBe('Rolled back to v1.0.0: the cart is slow');
  });
});
