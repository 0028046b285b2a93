// The postmortem draft is posted once, even when Slack's answer is lost after it took the post (a 5xx
// or a timeout): chat.postMessage has no idempotency key, so a blind retry is a second postmortem. A
// proxy in front of the workspace answers 500 to the first postmortem call after forwarding it.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { startTestWorkspace } from '../../helpers/workspace.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../../helpers/slack-runway.ts';
import { lossyProxy } from '../../helpers/lossy-proxy.ts';
import {
  botMessages,
  runbookYaml,
  startOnCallRunway,
  waitIncidentChannel,
  type OnCallRunway,
} from './support.ts';

const redis = useRedis();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A runway whose Web API calls pass a proxy that loses the answer of the first call `lose` picks. */
async function lossyRunway(
  lose: (method: string, body: string) => boolean,
): Promise<{ r: OnCallRunway; lost: () => boolean }> {
  const ws = await startTestWorkspace({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
  cleanup.push(() => ws.close());
  let lost = false;
  const proxy = await lossyProxy(ws.apiUrl, (method, body) => {
    if (lost || !lose(method, body)) return false;
    lost = true;
    return true;
  });
  cleanup.push(() => proxy.close());
  const r = await startOnCallRunway(redis.url, runbookYaml(), { ws, apiUrl: proxy.url });
  ws.setAppUrl(r.appUrl);
  cleanup.push(() => r.close());
  return { r, lost: () => lost };
}

/** Declares an incident, posts `updates`, resolves it and waits until its postmortem is audited. */
async function resolvedIncident(
  r: OnCallRunway,
  title: string,
  summary: string,
  updates: string[] = [],
): Promise<string> {
  await r.ws.slash('UALICE', 'CRELEASES', '/incident', `declare sev3 ${title}`);
  const channel = await waitIncidentChannel(r.ws);
  await waitFor('the incident card', async () => botMessages(r.ws, channel.id)[0]);
  for (const [n, update] of updates.entries()) {
    await r.ws.slash('UALICE', channel.id, '/incident', `update ${update}`);
    await waitFor(
      `update ${n + 1}`,
      async () => r.ws.store.history(channel.id).filter((m) => m.text.includes('*Update*')).length === n + 1,
    );
  }
  await r.ws.slash('UALICE', channel.id, '/incident', `resolve ${summary}`);
  await waitFor('the postmortem posted and audited', async () =>
    (await r.runtime.audit.forIncident(channel.name)).some((e) => e.action === 'incident.postmortem_posted'),
  );
  return channel.id;
}

describe('the postmortem after a lost answer', () => {
  it('is one message when Slack took the post but its answer was a 500', async () => {
    const { r, lost } = await lossyRunway(
      (m, body) => m === 'chat.postMessage' && body.includes('Postmortem'),
    );
    const channel = await resolvedIncident(r, 'Search returns 500s', 'Rebuilt the index');
    expect(lost()).toBe(true);
    const drafts = r.ws.store.history(channel).filter((m) => m.text.startsWith('Postmortem draft'));
    expect(drafts).toHaveLength(1);
  }, 60_000);

  it('is one file when Slack shared it but the answer to completeUploadExternal was a 500', async () => {
    const { r, lost } = await lossyRunway((m) => m === 'files.completeUploadExternal');
    // Too long for one section: the draft goes as a markdown file.
    const updates = [1, 2].map((n) => `step ${n}: `.padEnd(1900, 'z'));
    const summary = 'Cache stampede after a deploy. '.repeat(64);
    const channel = await resolvedIncident(r, 'Slow checkout', summary, updates);
    expect(lost()).toBe(true);
    const shared = r.ws.store.files.all().filter((f) => f.channel === channel);
    expect(shared.map((f) => f.name)).toEqual([expect.stringMatching(/^postmortem-.*\.md$/)]);
    expect(r.ws.store.history(channel).filter((m) => (m.files ?? []).length > 0)).toHaveLength(1);
  }, 60_000);
});
