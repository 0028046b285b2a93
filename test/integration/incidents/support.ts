// Runway as app + workers on a real Redis, talking to the in-repo Slack workspace over signed HTTP,
// with incident tuning (short paging backoff) and, when asked, the handoff scheduler. Several runways
// may share one workspace and one key prefix: that is two app processes on one Redis.
import { expect } from 'vitest';
import type { KnownBlock } from '@slack/types';
import {
  messageText,
  startTestWorkspace,
  type Channel,
  type Message,
  type TestWorkspace,
} from '../../helpers/workspace.ts';
import { createRuntime, type Runtime } from '../../../src/runtime.ts';
import { slackClient } from '../../../src/slack/services.ts';
import { startSlackApp, type SlackAppHandle } from '../../../src/slack/app.ts';
import { redisReady } from '../../../src/redis/connection.ts';
import { startHandoffScheduler, type HandoffScheduler } from '../../../src/handoff/scheduler.ts';
import { validateBlocks, validateMessage } from '../../../src/slack/blockkit.ts';
import type { OnCallServices } from '../../../src/incidents/oncall-services.ts';
import { FAST, loadTestRunbook, memoryLogger, waitFor } from '../../helpers/runway.ts';
import { uniquePrefix } from '../../helpers/redis.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../../helpers/slack-runway.ts';

export const ROUTING_KEY = 'R0UTINGKEY1234567890abcdef123456';

export interface OnCallRunway {
  ws: TestWorkspace;
  runtime: Runtime;
  oncall: OnCallServices;
  slack: SlackAppHandle;
  appUrl: string;
  lines: string[];
  close(): Promise<void>;
}

export interface StartOptions {
  /** Share a workspace (and then the first runway's app URL receives the people's requests). */
  ws?: TestWorkspace;
  prefix?: string;
  schedule?: boolean;
  env?: Record<string, string>;
  /** Runway's Web API calls go here instead of the workspace (a proxy in front of it). */
  apiUrl?: string;
}

export async function startOnCallRunway(
  redisUrl: string,
  yaml: string,
  options: StartOptions = {},
): Promise<OnCallRunway> {
  const ws = options.ws ?? (await startTestWorkspace({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET }));
  const book = loadTestRunbook(yaml, options.env ?? { PD_ROUTING_KEY: ROUTING_KEY });
  const runbook = () => book;
  const { log, lines } = memoryLogger('info');
  const client = slackClient(BOT_TOKEN, options.apiUrl ?? ws.apiUrl);
  const runtime = createRuntime({
    redisUrl,
    prefix: options.prefix ?? uniquePrefix(),
    runbook,
    log,
    slack: { client },
  });
  const oncall = runtime.oncall;
  if (!oncall) throw new Error('a runtime with a Slack client has no incidents and handoffs');
  await runtime.startWorkers({ ...FAST, oncallBackoff: { baseMs: 40, capMs: 160 } });
  const slack = await startSlackApp(
    { mode: 'http', botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: ws.apiUrl, port: 0 },
    {
      register: runtime.registerListeners,
      log,
      http: {
        readiness: {
          check: async () => ((await redisReady(runtime.redis)) ? null : 'Redis is not answering'),
        },
      },
    },
  );
  const appUrl = `http://127.0.0.1:${slack.port}/slack/events`;
  if (!options.ws) ws.setAppUrl(appUrl);
  const scheduler: HandoffScheduler | null = options.schedule
    ? startHandoffScheduler({ runbook, queue: runtime.queues.handoff, log })
    : null;
  return {
    ws,
    runtime,
    oncall,
    slack,
    appUrl,
    lines,
    close: async () => {
      await scheduler?.stop();
      await slack.stop();
      await runtime.close();
      if (!options.ws) await ws.close();
    },
  };
}

/** A runbook with one service, the three channels, and a `page` action of the given kind. */
export function runbookYaml(
  opts: { page?: string; extra?: string; stages?: string; actions?: string } = {},
): string {
  return `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
services:
  checkout:
    previous_version: v1.2.2
    on_call_contact: UCAROL
    environments:
      production:
        approvals: { required: 2, approvers: [S0SRETEAM] }
        actions:
          deploy: { command: ["node", "-e", "0"] }
          rollback: { command: ["node", "-e", "0"] }
${opts.actions ?? ''}${opts.page ? `          page: ${opts.page}\n` : ''}        stages: ${opts.stages ?? '[deploy]'}
        rollback_incident: sev2
${opts.extra ?? ''}`;
}

export const pagerDuty = (url: string) =>
  `{ pagerduty: { routing_key: "\${PD_ROUTING_KEY}", url: "${url}" } }`;

export function incidentChannels(ws: TestWorkspace): Channel[] {
  return ws.store.channels().filter((c) => c.name.startsWith('inc-'));
}

export async function waitIncidentChannel(ws: TestWorkspace, name?: string | RegExp): Promise<Channel> {
  return waitFor(`an incident channel ${String(name ?? '')}`, async () =>
    incidentChannels(ws).find(
      (c) => name === undefined || (typeof name === 'string' ? c.name === name : name.test(c.name)),
    ),
  );
}

export const botMessages = (ws: TestWorkspace, channel: string): Message[] =>
  ws.store.history(channel).filter((m) => m.user === ws.store.bot.user_id);

export const textOf = (m: Message): string => messageText(m);

export async function waitMessage(
  ws: TestWorkspace,
  channel: string,
  pattern: RegExp,
  what = String(pattern),
): Promise<Message> {
  return waitFor(`a message in ${channel} matching ${what}`, async () =>
    ws.store.history(channel).find((m) => pattern.test(messageText(m))),
  );
}

export async function waitEphemeral(ws: TestWorkspace, user: string, pattern: RegExp): Promise<string> {
  return waitFor(`an ephemeral to ${user} matching ${pattern}`, async () =>
    ws.store
      .ephemerals(user)
      .map((e) => messageText(e))
      .find((t) => pattern.test(t)),
  );
}

/** Today's `inc-YYYYMMDD-` (UTC), as the declaration names it. */
export function todayPrefix(): string {
  return `inc-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-`;
}

/** Every message, ephemeral and modal the bot sent stayed within Block Kit's limits. */
export function assertEveryPayloadWithinLimits(ws: TestWorkspace): void {
  const parse = (value: unknown) =>
    value === undefined
      ? undefined
      : ((typeof value === 'string' ? JSON.parse(value) : value) as KnownBlock[]);
  for (const method of ['chat.postMessage', 'chat.update', 'chat.postEphemeral']) {
    for (const call of ws.calls(method)) {
      const blocks = parse(call.args.blocks);
      const text = typeof call.args.text === 'string' ? call.args.text : undefined;
      expect(
        validateMessage({ ...(text !== undefined ? { text } : {}), ...(blocks ? { blocks } : {}) }),
        `${method} payload`,
      ).toEqual([]);
    }
  }
  for (const call of ws.calls('views.open')) {
    const view = (typeof call.args.view === 'string' ? JSON.parse(call.args.view) : call.args.view) as {
      blocks: KnownBlock[];
    };
    expect(validateBlocks(view.blocks, { surface: 'modal' })).toEqual([]);
  }
}

/** Nothing Runway said, stored or logged contains the secret. */
export async function assertSecretNowhere(r: OnCallRunway, secret: string): Promise<void> {
  for (const call of r.ws.calls())
    expect(JSON.stringify(call.args), `${call.method} args`).not.toContain(secret);
  for (const e of r.ws.store.ephemerals()) expect(e.text).not.toContain(secret);
  for (const line of r.lines) expect(line).not.toContain(secret);
  for await (const entry of r.runtime.audit.since()) expect(JSON.stringify(entry)).not.toContain(secret);
}
