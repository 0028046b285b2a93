import { afterEach, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { FAST, loadTestRunbook, memoryLogger, waitFor, waitForState } from '../../helpers/runway.ts';
import { startSocketModeHub } from '../../helpers/socket-mode.ts';
import { startTestWorkspace } from '../../helpers/workspace.ts';
import { createRuntime } from '../../../src/runtime.ts';
import { slackClient } from '../../../src/slack/services.ts';
import { startSlackApp } from '../../../src/slack/app.ts';

const redis = useRedis();
const BOT_TOKEN = 'xoxb-socket-test-1234';
const APP_TOKEN = 'xapp-1-socket-test-5678';
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('Socket Mode', () => {
  it('connects through SLACK_API_URL, takes slash commands and clicks over the socket, and runs a release', async () => {
    const hub = await startSocketModeHub(APP_TOKEN);
    cleanup.push(() => hub.close());
    const ws = await startTestWorkspace({
      botToken: BOT_TOKEN,
      signingSecret: 'unused-in-socket-mode',
      tokenMethods: { 'apps.connections.open': hub.connectionsOpen },
      transport: hub.transport,
    });
    cleanup.push(() => ws.close());
    const book = loadTestRunbook(`
version: 1
channels: { releases: "#releases" }
services:
  checkout:
    approvals: { required: 1, approvers: [UBOB] }
    actions: { deploy: { command: ["true"] }, rollback: { command: ["true"] } }
    stages: [deploy]
`);
    const { log } = memoryLogger();
    const client = slackClient(BOT_TOKEN, ws.apiUrl);
    const runtime = createRuntime({
      redisUrl: redis.url,
      prefix: uniquePrefix(),
      runbook: () => book,
      log,
      slack: { client },
    });
    await runtime.startWorkers(FAST);
    cleanup.push(() => runtime.close());
    const slack = await startSlackApp(
      { mode: 'socket', botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: ws.apiUrl, port: 0 },
      { register: runtime.registerListeners, log, http: { readiness: { check: async () => null } } },
    );
    cleanup.push(() => slack.stop());
    // The app asked *our* API for its socket URL (SLACK_API_URL), with its app token, and connected.
    expect(ws.calls('apps.connections.open')).toHaveLength(1);
    await waitFor('the socket connection', async () => hub.connections() === 1);

    // A bad command is answered in the ack, over the socket.
    await ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout latest');
    await waitFor('the ephemeral usage', async () =>
      ws.store.ephemerals('UALICE').some((e) => e.text.includes('not valid')),
    );

    await ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.0.0');
    const card = await waitFor('the card', async () =>
      ws.store.history('CRELEASES').find((m) => m.user === ws.store.bot.user_id),
    );
    const id = /"value":"(checkout-[a-z0-9-]+)"/.exec(JSON.stringify(card.blocks))![1]!;
    await ws.click('UBOB', card, 'release_approve');
    expect((await waitForState(runtime, id, ['completed', 'rolled_back', 'failed'])).state).toBe('completed');
    // Health still answers on PORT in Socket Mode.
    expect((await fetch(`http://127.0.0.1:${slack.port}/healthz`)).status).toBe(200);
  });
});
