// The completion chart does not depend on GitHub (SPEC section 12): a release whose deployment GitHub
// refuses (422, no such ref: a permanent refusal) still gets its chart in the thread, once. Runway's
// Bolt app, workers and Redis, the in-repo Slack workspace, a Prometheus-shaped server, the GitHub fake.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor, waitForState } from '../../helpers/runway.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import { sendJson, startServer, type TestServer } from '../../helpers/http-server.ts';
import { startFakeGithub, type FakeGithub } from '../../helpers/fake-github.ts';
import { messageText } from '../../helpers/workspace.ts';

const redis = useRedis();
let prometheus: TestServer;
let github: FakeGithub;
beforeAll(async () => {
  prometheus = await startServer((_req, res) =>
    sendJson(res, 200, {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, '0.001'] }] },
    }),
  );
  // Knows no ref at all: every deployment is refused with 422.
  github = await startFakeGithub({ token: 'ghp_apart' });
});
const running: SlackRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});
afterAll(async () => {
  await Promise.all([prometheus.close(), github.close()]);
});

const yaml = () => `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
defaults:
  github_deployments: { repo: acme/shop, token: ghp_apart, api_url: "${github.url}" }
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
          - { traffic: 10, hold: 800ms, gates: [error_rate] }
          - { traffic: 100 }
        rollback_incident: none
`;

describe('the completion chart and the GitHub report', () => {
  it('charts a completed release whose GitHub deployment was refused', async () => {
    const r = await startSlackRunway(redis.url, yaml());
    running.push(r);
    const started = await r.runtime.engine.start({
      service: 'checkout',
      version: 'v1.1.0',
      requester: 'UALICE',
      originChannel: 'CRELEASES',
    });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;
    const card = await r.card('CRELEASES', id);
    expect(await r.runtime.engine.approve(id, { user: 'UBOB' })).toMatchObject({ ok: true });
    await waitForState(r.runtime, id, ['completed']);
    const thread = () => r.ws.store.replies('CRELEASES', card.ts).slice(1);
    const chart = await waitFor('the completion chart', async () =>
      thread().find((m) => (m.files?.length ?? 0) > 0),
    );
    expect(messageText(chart)).toContain('Canary chart');
    // GitHub did refuse it: the deploy and ended jobs asked, and nothing was created.
    expect(github.requests.some((q) => q.method === 'POST' && q.path.endsWith('/deployments'))).toBe(true);
    expect(github.repo.deployments).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.ws.calls('files.getUploadURLExternal')).toHaveLength(1);
  });
});
