// The local sandbox (SPEC section 9): Redis (found or started), the demo service, a Slack-like
// workspace with its web page, and the real bot in HTTP mode talking to that workspace through the
// same Web API calls and signed requests it uses with Slack. Nothing in the bot knows it is a sandbox.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from '../log.ts';
import { secrets } from '../log.ts';
import { loadRunbook } from '../config/runbook.ts';
import { RunbookContext } from '../engine/runbook-context.ts';
import { ensureRedis } from '../redis/find-redis.ts';
import { createRedis, redisReady } from '../redis/connection.ts';
import { createRuntime, type Runtime } from '../runtime.ts';
import { slackClient } from '../slack/services.ts';
import { startSlackApp, type SlackAppHandle } from '../slack/app.ts';
import { startWorkspaceServer, type WorkspaceServer } from './workspace/server.ts';
import { startDemoService, type DemoService } from './demo/service.ts';
import { demoRunbookText } from './demo-runbook.ts';
import { createSandboxPage } from './ui/page-server.ts';
import { startHandoffScheduler } from '../handoff/scheduler.ts';
import { createMetrics } from '../observability/metrics.ts';

export interface SandboxOptions {
  /** The page and the workspace's Web API (default 3000; 0 picks a free port). */
  port: number;
  redisUrl?: string;
  /** A runbook of the user's instead of the bundled demo (its URLs are used as they are). */
  runbookPath?: string;
  demoPort?: number;
  prefix?: string;
  log: Logger;
  env?: Record<string, string | undefined>;
  /** The workspace enforces Slack's rate limits (RUNWAY_SANDBOX_SLACK_LIMITS=1). */
  slackLimits?: boolean;
  /** The workspace's chat.update budget (RUNWAY_SLACK_UPDATES_PER_MINUTE). */
  updatesPerMinute?: number;
  /** RUNWAY_ADMIN_TOKEN: /admin/queues as in every mode; unset, the dashboard is off (404). */
  adminToken?: string;
}

export interface Sandbox {
  url: string;
  workspace: WorkspaceServer;
  demo: DemoService;
  runtime: Runtime;
  close(): Promise<void>;
}

export async function runSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { log } = options;
  const stops: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of stops.reverse())
      await stop().catch((err: unknown) => log.warn({ err }, 'sandbox: stopping a part failed'));
  };
  try {
    const redis = await ensureRedis({ ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}), log });
    redis.keepRunning?.();
    stops.push(() => redis.stop());
    // The workspace lives in memory and starts empty, so releases kept from an earlier run would
    // point at cards nobody can see: start the sandbox's own keys afresh.
    const prefix = sandboxPrefix(options.prefix);
    await clearPrefix(redis.url, prefix);

    let demo: DemoService | null = null;
    let botUrl: string | null = null;
    let workspace: WorkspaceServer | null = null;
    demo = await startDemoService({ ...(options.demoPort !== undefined ? { port: options.demoPort } : {}) });
    stops.push(() => demo!.close());

    // Fresh credentials each run: the bot and the workspace share them, nobody else needs them.
    const botToken = `xoxb-sandbox-${randomBytes(12).toString('hex')}`;
    const signingSecret = randomBytes(24).toString('hex');
    secrets.add(botToken, signingSecret);
    workspace = await startWorkspaceServer({
      port: options.port,
      host: '127.0.0.1',
      botToken,
      signingSecret,
      ...(options.slackLimits ? { rateLimits: true } : {}),
      fallback: createSandboxPage({ workspace: () => workspace!, demo: () => demo!, botUrl: () => botUrl }),
    });
    stops.push(() => workspace!.close());

    const runbook = loadSandboxRunbook(options, demo);
    const client = slackClient(botToken, workspace.apiUrl);
    const metrics = createMetrics();
    const runtime = createRuntime({
      redisUrl: redis.url,
      prefix,
      runbook: () => runbook,
      log,
      metrics,
      slack: {
        client,
        ...(options.updatesPerMinute
          ? { delivery: { pace: { updatesPerMinute: options.updatesPerMinute } } }
          : {}),
      },
    });
    await runtime.startWorkers();
    stops.push(() => runtime.close());
    const slack: SlackAppHandle = await startSlackApp(
      // Only the workspace server talks to it, from this machine.
      { mode: 'http', botToken, signingSecret, apiUrl: workspace.apiUrl, port: 0, host: '127.0.0.1' },
      {
        register: runtime.registerListeners,
        log,
        audit: (e) => runtime.audit.append(e),
        http: {
          readiness: {
            check: async () => ((await redisReady(runtime.redis)) ? null : 'Redis is not answering'),
          },
          metrics: metrics.registry,
          admin: {
            ...(options.adminToken ? { token: options.adminToken } : {}),
            queues: runtime.queues.all(),
          },
        },
      },
    );
    stops.push(() => slack.stop());
    const handoffs = startHandoffScheduler({ runbook: () => runbook, queue: runtime.queues.handoff, log });
    stops.push(async () => handoffs?.stop());
    workspace.setAppUrl(`http://127.0.0.1:${slack.port}/slack/events`);
    botUrl = `http://127.0.0.1:${slack.port}`;
    const url = workspace.url.replace('127.0.0.1', 'localhost');
    return { url, workspace, demo, runtime, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Always ends in `-sandbox`, so clearing it can never touch a real deployment's keys. */
export function sandboxPrefix(base = 'runway'): string {
  return base.endsWith('-sandbox') ? base : `${base}-sandbox`;
}

/** Deletes the state and queues under a sandbox prefix (SCAN, never KEYS). */
async function clearPrefix(url: string, prefix: string): Promise<void> {
  const redis = createRedis(url);
  try {
    for (const pattern of [`${prefix}:*`, `${prefix}-bull:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** The bundled demo runbook (pointed at this run's demo service), or the user's own. */
function loadSandboxRunbook(options: SandboxOptions, demo: DemoService): RunbookContext {
  const text = options.runbookPath ? readFileSync(options.runbookPath, 'utf8') : demoRunbookText(demo);
  const loaded = loadRunbook(text, options.env ?? {});
  if (!loaded.ok) {
    throw new Error(
      `The ${options.runbookPath ? `runbook ${options.runbookPath}` : 'bundled demo runbook'} has problems:\n${loaded.problems.join('\n')}`,
    );
  }
  secrets.add(...loaded.secrets);
  return new RunbookContext(loaded.runbook, loaded.secrets);
}
