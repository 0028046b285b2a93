// Slack for tests: the in-repo workspace on a real port (the bot's WebClient points at `apiUrl`), with
// readers for what the bot posted and waits driven by the workspace's change feed.
//
//   const slack = await startFakeSlack();
//   const bot = await startBot({ slackApiUrl: slack.apiUrl, signingSecret: slack.signingSecret, … });
//   slack.setAppUrl(`${bot.url}/slack/events`);
//   await slack.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3');
//   const card = await slack.waitForMessage('CRELEASES', /checkout v1.2.3/);
import { LogLevel, WebClient, type Logger, type WebClientOptions } from '@slack/web-api';
import { expect } from 'vitest';
import {
  messageText,
  startTestWorkspace,
  type Channel,
  type Ephemeral,
  type Message,
  type RecordedCall,
  type TestWorkspace,
  type WorkspaceServerOptions,
} from './workspace.ts';

export const TEST_SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const TEST_BOT_TOKEN = 'xoxb-1234-5678-runwaytesttoken';

/** Text (substring of the message's text or its blocks' text), a pattern, or a predicate. */
export type Match<T> = string | RegExp | ((item: T) => boolean);

export interface WaitOptions {
  timeoutMs?: number;
}

export interface FakeSlack extends TestWorkspace {
  signingSecret: string;
  botToken: string;
  /** Top-level messages of a channel (and replies sent to the channel), oldest first. */
  messages(channelId: string): Message[];
  /** The replies of a thread (without its root), oldest first. */
  thread(channelId: string, ts: string): Message[];
  ephemerals(user: string): Ephemeral[];
  channelByName(name: string): Channel;
  /** Resolves with the probe's first truthy answer, re-checked on every workspace change. */
  waitFor<T>(probe: () => T | undefined | null | false, what: string, options?: WaitOptions): Promise<T>;
  waitForMessage(channelId: string, match: Match<Message>, options?: WaitOptions): Promise<Message>;
  waitForReply(
    channelId: string,
    threadTs: string,
    match: Match<Message>,
    options?: WaitOptions,
  ): Promise<Message>;
  waitForEphemeral(user: string, match: Match<Ephemeral>, options?: WaitOptions): Promise<Ephemeral>;
  /** The message `ts` once its current version matches (a card edited in place). */
  waitForEdit(channelId: string, ts: string, match: Match<Message>, options?: WaitOptions): Promise<Message>;
  waitForCall(
    method: string,
    match?: (call: RecordedCall) => boolean,
    options?: WaitOptions,
  ): Promise<RecordedCall>;
}

export function matches<T extends { text: string }>(item: T, match: Match<T>): boolean {
  if (typeof match === 'function') return match(item);
  const text = messageText(item as { text: string });
  return typeof match === 'string' ? text.includes(match) : match.test(text);
}

const DEFAULT_TIMEOUT_MS = 5000;

export async function startFakeSlack(options: Partial<WorkspaceServerOptions> = {}): Promise<FakeSlack> {
  const signingSecret = options.signingSecret ?? TEST_SIGNING_SECRET;
  const botToken = options.botToken ?? TEST_BOT_TOKEN;
  const server = await startTestWorkspace({ ...options, signingSecret, botToken });
  const { store } = server;

  function waitFor<T>(
    probe: () => T | undefined | null | false,
    what: string,
    options: WaitOptions = {},
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        const found = probe();
        if (found === undefined || found === null || found === false) return false;
        finish();
        resolve(found);
        return true;
      };
      // Calls are not in the change feed, so a slow poll backs the feed up.
      const unsubscribe = store.onChange(() => void check());
      const poll = setInterval(check, 25);
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(`timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms waiting for ${what}`),
        );
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      function finish(): void {
        unsubscribe();
        clearInterval(poll);
        clearTimeout(timer);
      }
      check();
    });
  }

  const texts = (items: { text: string }[]): string =>
    items.map((m) => JSON.stringify(messageText(m).slice(0, 120))).join(', ') || 'nothing';

  const fake: FakeSlack = Object.assign(server, {
    signingSecret,
    botToken,
    messages: (channelId: string) => store.history(channelId),
    thread: (channelId: string, ts: string) => store.replies(channelId, ts).filter((m) => m.ts !== ts),
    ephemerals: (user: string) => store.ephemerals(user),
    channelByName: (name: string) => {
      const channel = store.resolveChannel(name);
      if (!channel) throw new Error(`no channel ${name}`);
      return channel;
    },
    waitFor,
    waitForMessage: (channelId: string, match: Match<Message>, options?: WaitOptions) =>
      waitFor(
        () => store.history(channelId).find((m) => matches(m, match)),
        `a message matching ${String(match)} in ${channelId} (have: ${texts(store.history(channelId))})`,
        options,
      ),
    waitForReply: (channelId: string, threadTs: string, match: Match<Message>, options?: WaitOptions) =>
      waitFor(
        () => fake.thread(channelId, threadTs).find((m) => matches(m, match)),
        `a reply matching ${String(match)} in thread ${threadTs} (have: ${texts(fake.thread(channelId, threadTs))})`,
        options,
      ),
    waitForEphemeral: (user: string, match: Match<Ephemeral>, options?: WaitOptions) =>
      waitFor(
        () => store.ephemerals(user).find((m) => matches(m, match)),
        `an ephemeral for ${user} matching ${String(match)} (have: ${texts(store.ephemerals(user))})`,
        options,
      ),
    waitForEdit: (channelId: string, ts: string, match: Match<Message>, options?: WaitOptions) =>
      waitFor(
        () => {
          const message = store.message(channelId, ts);
          return message && matches(message, match) ? message : undefined;
        },
        `message ${ts} to match ${String(match)}`,
        options,
      ),
    waitForCall: (
      method: string,
      match: (call: RecordedCall) => boolean = () => true,
      options?: WaitOptions,
    ) => waitFor(() => server.calls(method).find(match), `a ${method} call`, options),
  });
  return fake;
}

// Slack's `[ERROR] …` explanations are asserted on, not printed.
const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** The official WebClient pointed at the fake, without retries unless asked: shapes it accepts are Slack's. */
export function webClientFor(
  slack: FakeSlack,
  options: WebClientOptions = {},
  token = slack.botToken,
): WebClient {
  return new WebClient(token, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    logger: quiet,
    ...options,
  });
}

/** The call fails the way WebClient reports a Slack error: a platform error carrying Slack's code. */
export async function expectSlackError(
  call: Promise<unknown>,
  error: string,
): Promise<Record<string, unknown>> {
  const failure: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(failure).toMatchObject({ code: 'slack_webapi_platform_error', data: { ok: false, error } });
  return (failure as { data: Record<string, unknown> }).data;
}

/** A fake Slack and a WebClient for it. */
export async function startFakeSlackWithClient(
  options: Partial<WorkspaceServerOptions> = {},
): Promise<{ slack: FakeSlack; client: WebClient }> {
  const slack = await startFakeSlack(options);
  return { slack, client: webClientFor(slack) };
}
