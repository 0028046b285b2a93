// Runway with its real Bolt app in HTTP mode, real workers and a real Redis, talking to the in-repo
// Slack workspace over HTTP: Slack's Web API for the bot, signed requests for the people.
import { startTestWorkspace, type Message, type TestWorkspace } from './workspace.ts';
import { createRuntime, type Runtime, type WorkerTuning } from '../../src/runtime.ts';
import type { RunwayMetrics } from '../../src/observability/metrics.ts';
import { slackClient } from '../../src/slack/services.ts';
import { startSlackApp, type SlackAppHandle } from '../../src/slack/app.ts';
import { redisReady } from '../../src/redis/connection.ts';
import { FAST, loadTestRunbook, memoryLogger, waitFor } from './runway.ts';
import { uniquePrefix } from './redis.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-0123456789';

export interface SlackRunway {
  ws: TestWorkspace;
  runtime: Runtime;
  slack: SlackAppHandle;
  appUrl: string;
  lines: string[];
  close(): Promise<void>;
  /** The bot's root messages in a channel (cards), oldest first. */
  cards(channel: string): Message[];
  /** Wait for the release card of a release to show up. */
  card(channel: string, releaseId?: string): Promise<Message>;
}

export async function startSlackRunway(
  redisUrl: string,
  yaml: string,
  options: { workers?: boolean; rateLimits?: boolean; metrics?: RunwayMetrics; tuning?: WorkerTuning } = {},
): Promise<SlackRunway> {
  const ws = await startTestWorkspace({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    ...(options.rateLimits ? { rateLimits: true } : {}),
  });
  const book = loadTestRunbook(yaml);
  const runbook = () => book;
  const { log, lines } = memoryLogger();
  const client = slackClient(BOT_TOKEN, ws.apiUrl);
  const runtime = createRuntime({
    redisUrl,
    prefix: uniquePrefix(),
    runbook,
    log,
    slack: { client },
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  if (options.workers !== false) await runtime.startWorkers({ ...FAST, ...options.tuning });
  const slack = await startSlackApp(
    { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: ws.apiUrl, port: 0 },
    {
      register: runtime.registerListeners,
      log,
      audit: (e) => runtime.audit.append(e),
      http: {
        readiness: {
          check: async () => ((await redisReady(runtime.redis)) ? null : 'Redis is not answering'),
        },
      },
    },
  );
  const appUrl = `http://127.0.0.1:${slack.port}/slack/events`;
  ws.setAppUrl(appUrl);
  const cards = (channel: string) => ws.store.history(channel).filter((m) => m.user === ws.store.bot.user_id);
  return {
    ws,
    runtime,
    slack,
    appUrl,
    lines,
    cards,
    card: (channel, releaseId) =>
      waitFor(`the release card in ${channel}`, async () =>
        cards(channel).find((m) => !releaseId || JSON.stringify(m.blocks ?? []).includes(releaseId)),
      ),
    close: async () => {
      await slack.stop();
      await runtime.close();
      await ws.close();
    },
  };
}
