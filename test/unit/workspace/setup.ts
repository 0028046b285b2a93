// Shared by the workspace tests: a fake Slack and an official WebClient pointed at it, so every shape
// asserted here is one @slack/web-api accepts.
import { LogLevel, WebClient, type Logger, type WebClientOptions } from '@slack/web-api';
import { expect } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.ts';

export async function startWorkspace(
  options: Parameters<typeof startFakeSlack>[0] = {},
): Promise<{ slack: FakeSlack; client: WebClient }> {
  const slack = await startFakeSlack(options);
  return { slack, client: clientFor(slack) };
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

export function clientFor(slack: FakeSlack, options: WebClientOptions = {}, token = slack.botToken): WebClient {
  return new WebClient(token, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    logger: quiet,
    ...options,
  });
}

/** The call fails the way WebClient reports a Slack error: a platform error carrying Slack's code. */
export async function expectSlackError(call: Promise<unknown>, error: string): Promise<Record<string, unknown>> {
  const failure: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(failure).toMatchObject({ code: 'slack_webapi_platform_error', data: { ok: false, error } });
  return (failure as { data: Record<string, unknown> }).data;
}
