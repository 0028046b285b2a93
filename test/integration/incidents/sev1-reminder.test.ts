import { afterEach, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../../helpers/slack-runway.ts';
import { startTestWorkspace, type TestWorkspace } from '../../helpers/workspace.ts';
import {
  runbookYaml,
  startOnCallRunway,
  waitEphemeral,
  waitIncidentChannel,
  type OnCallRunway,
} from './support.ts';

const redis = useRedis();
const running: OnCallRunway[] = [];
const workspaces: TestWorkspace[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
  for (const ws of workspaces.splice(0)) await ws.close();
});

const INTERVAL_MS = 1000;
const yaml = (interval = `${INTERVAL_MS}ms`) =>
  runbookYaml({ extra: `incidents: { sev1_reminder: ${interval} }\n` });

async function start(
  options: Parameters<typeof startOnCallRunway>[2] = {},
  book = yaml(),
): Promise<OnCallRunway> {
  const r = await startOnCallRunway(redis.url, book, options);
  running.push(r);
  return r;
}

const reminders = (ws: TestWorkspace, channel: string) =>
  ws.store.history(channel).filter((m) => m.text.startsWith('⏰ No update'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sev1 reminders', () => {
  it('reminds the channel when no update was posted within the interval, and again each interval', async () => {
    const r = await start();
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev1 Checkout down');
    const channel = await waitIncidentChannel(r.ws, /checkout-down$/);
    const incident = (await r.oncall.incidents.get(channel.name))!;
    const first = await waitFor('the first reminder', async () => reminders(r.ws, channel.id)[0], 5000);
    expect(first.text).toMatch(/No update on this sev1 for 1(\.\d)?s\. <@UALICE>, post one/);
    expect(Number(first.ts) * 1000).toBeGreaterThanOrEqual(Date.parse(incident.startedAt) + INTERVAL_MS - 50);
    await waitFor('the second reminder', async () => reminders(r.ws, channel.id).length >= 2, 5000);
    const audited = (await r.runtime.audit.forIncident(channel.name)).filter(
      (e) => e.action === 'incident.reminder',
    );
    expect(audited.map((e) => e.details?.n)).toEqual(expect.arrayContaining([1, 2]));
  });

  it('does not remind while updates come in time, reminds an interval after the last one, and stops when resolved', async () => {
    // A longer interval here: the updates must come well within it even on a busy machine.
    const interval = 2000;
    const r = await start({}, yaml(`${interval}ms`));
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev1 Payments flaky');
    const channel = await waitIncidentChannel(r.ws, /payments-flaky$/);
    for (let n = 1; n <= 5; n++) {
      await sleep(interval / 4);
      await r.ws.slash('UBOB', channel.id, '/incident', `update still investigating (${n})`);
      await waitFor(
        `update ${n}`,
        async () => (await r.oncall.incidents.get(channel.name))?.updates.length === n,
      );
    }
    // More than an interval has passed since the declaration, never an interval without an update.
    expect(reminders(r.ws, channel.id)).toEqual([]);
    const lastUpdate = Date.parse((await r.oncall.incidents.get(channel.name))!.lastUpdateAt);
    const reminder = await waitFor(
      'the reminder after the last update',
      async () => reminders(r.ws, channel.id)[0],
      8000,
    );
    expect(Number(reminder.ts) * 1000).toBeGreaterThanOrEqual(lastUpdate + interval - 50);
    await r.ws.slash('UBOB', channel.id, '/incident', 'resolve');
    await waitFor(
      'resolved',
      async () => (await r.oncall.incidents.get(channel.name))?.status === 'resolved',
    );
    const count = reminders(r.ws, channel.id).length;
    await sleep(interval * 1.2);
    expect(reminders(r.ws, channel.id)).toHaveLength(count);
  });

  it('survives a restart: the reminder is a delayed job in Redis, sent by whichever process runs next', async () => {
    const ws = await startTestWorkspace({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
    workspaces.push(ws);
    const prefix = uniquePrefix();
    const book = yaml('3s');
    const first = await startOnCallRunway(redis.url, book, { ws, prefix });
    ws.setAppUrl(first.appUrl);
    await ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev1 Search down');
    const channel = await waitIncidentChannel(ws, /search-down$/);
    // Declared (the reply comes once the rest is a job in Redis); then the process goes away.
    await waitEphemeral(ws, 'UALICE', /Declared \*SEV1\*/);
    await first.close();
    const stoppedAt = Date.now();
    expect(reminders(ws, channel.id)).toEqual([]);
    const second = await start({ ws, prefix }, book);
    ws.setAppUrl(second.appUrl);
    const reminder = await waitFor(
      'the reminder from the restarted process',
      async () => reminders(ws, channel.id)[0],
      8000,
    );
    expect(Number(reminder.ts) * 1000).toBeGreaterThanOrEqual(stoppedAt);
  });

  it('does not remind sev2 incidents', async () => {
    const r = await start();
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev2 Slow search');
    const channel = await waitIncidentChannel(r.ws, /slow-search$/);
    await sleep(INTERVAL_MS * 1.5);
    expect(reminders(r.ws, channel.id)).toEqual([]);
  });
});
