// /metrics counts Slack Web API calls by method and outcome, and the client's retries, for calls made
// the usual way (client.chat.postMessage …), against the in-repo Slack workspace over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { startTestWorkspace, type TestWorkspace } from '../../helpers/workspace.ts';
import { slackClient } from '../../../src/slack/services.ts';

const TOKEN = 'xoxb-metrics-test-0123456789';
let ws: TestWorkspace;

beforeAll(async () => {
  ws = await startTestWorkspace({ botToken: TOKEN, signingSecret: 'metrics-test-signing-secret' });
});
afterAll(async () => {
  await ws.close();
});

function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('Slack API metrics', () => {
  it('counts calls by method and outcome, and 5xx retries', async () => {
    const metrics = createMetrics();
    const client = slackClient(TOKEN, ws.apiUrl);
    metrics.watchSlack(client);
    await client.chat.postMessage({ channel: 'CRELEASES', text: 'one' });
    await client.chat.postMessage({ channel: 'CRELEASES', text: 'two' });
    await expect(client.chat.postMessage({ channel: 'CNOSUCH', text: 'three' })).rejects.toThrow(
      /channel_not_found/,
    );
    ws.failNext('chat.update', { status: 503 }, 1);
    const posted = await client.chat.postMessage({ channel: 'CRELEASES', text: 'four' });
    await client.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'four, edited' });
    const text = await metrics.registry.metrics();
    expect(sample(text, 'runway_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'ok' })).toBe(
      3,
    );
    expect(
      sample(text, 'runway_slack_api_calls_total', {
        method: 'chat.postMessage',
        outcome: 'channel_not_found',
      }),
    ).toBe(1);
    expect(sample(text, 'runway_slack_api_calls_total', { method: 'chat.update', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'runway_slack_retries_total', { reason: 'http_503' })).toBe(1);
  });

  it('counts a 429 the client waited out once, as rate_limited (not again as network)', async () => {
    const metrics = createMetrics();
    const client = slackClient(TOKEN, ws.apiUrl);
    metrics.watchSlack(client);
    ws.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 1);
    await client.chat.postMessage({ channel: 'CRELEASES', text: 'after the wait' });
    const text = await metrics.registry.metrics();
    expect(sample(text, 'runway_slack_retries_total', { reason: 'rate_limited' })).toBe(1);
    expect(sample(text, 'runway_slack_retries_total', { reason: 'network' })).toBe(0);
  });
});
