// incidents.statuspage: a sev1/sev2 incident opens, updates and resolves an Atlassian Statuspage
// incident (a fake written from its API reference), in retried jobs that never hold up Slack.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStatuspage, type FakeStatuspage } from '../../helpers/fake-statuspage.ts';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import {
  assertSecretNowhere,
  runbookYaml,
  startOnCallRunway,
  textOf,
  todayPrefix,
  waitEphemeral,
  waitIncidentChannel,
  waitMessage,
  type OnCallRunway,
} from './support.ts';

const PAGE = 'kctbh9vrtdwd';
const KEY = 'statuspage-api-key-0123456789';
const redis = useRedis();
let sp: FakeStatuspage;
beforeAll(async () => {
  sp = await startFakeStatuspage(PAGE, KEY);
});
afterAll(async () => {
  await sp.close();
});
const running: OnCallRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

async function start(key = KEY): Promise<OnCallRunway> {
  const extra = `incidents:\n  statuspage: { page_id: ${PAGE}, api_key: "\${STATUSPAGE_API_KEY}", components: [cmp1checkout, cmp2payments], api_url: "${sp.apiUrl}" }\n`;
  const r = await startOnCallRunway(redis.url, runbookYaml({ extra }), { env: { STATUSPAGE_API_KEY: key } });
  running.push(r);
  return r;
}

const opened = (id: string) =>
  sp.incidents.find(
    (i) => (i.metadata['runway'] as { incident_id?: string } | undefined)?.incident_id === id,
  );

describe('the status page during an incident', () => {
  it('opens on a sev1, posts each update, resolves with the components operational', async () => {
    const r = await start();
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev1 Payments down');
    const id = `${todayPrefix()}payments-down`;
    const channel = await waitIncidentChannel(r.ws, id);
    const page = await waitFor('the status page incident', async () => opened(id));
    expect(page).toMatchObject({
      name: 'Payments down',
      status: 'investigating',
      impact: 'critical',
      components: { cmp1checkout: 'major_outage', cmp2payments: 'major_outage' },
    });
    await waitMessage(
      r.ws,
      channel.id,
      /Status page incident opened \(investigating\): https:\/\/stspg\.io\//,
    );
    const stored = await waitFor(
      'the id on the incident',
      async () => (await r.oncall.incidents.get(id))?.statuspage?.id,
    );
    expect(stored).toBe(page.id);

    await r.ws.slash(
      'UBOB',
      channel.id,
      '/incident',
      'update Found it: <@UCAROL> is rolling back the payments flag',
    );
    await waitEphemeral(r.ws, 'UBOB', /Update posted/);
    await waitFor('the update on the status page', async () => page.incident_updates.length === 2);
    // Slack markup does not reach the public page.
    expect(page.incident_updates[1]!.body).toBe('Found it: is rolling back the payments flag');

    await waitFor(
      'the update recorded',
      async () => (await r.oncall.incidents.get(id))?.statuspage?.posted?.length === 1,
    );
    await r.ws.slash('UALICE', channel.id, '/incident', 'resolve Flag rolled back');
    await waitFor('resolved on the status page', async () => page.status === 'resolved');
    expect(page.components).toEqual({ cmp1checkout: 'operational', cmp2payments: 'operational' });
    expect(page.incident_updates.at(-1)).toEqual({ body: 'Flag rolled back', status: 'resolved' });
    await waitMessage(r.ws, channel.id, /Status page incident resolved/);
    // The postmortem timeline tells the status page story from the audit log.
    const postmortem = await waitMessage(r.ws, channel.id, /Postmortem/);
    expect(textOf(postmortem)).toMatch(
      /Status page incident opened \(investigating\)[\s\S]*Update posted to the status page/,
    );
    // One incident on the page, opened once.
    expect(sp.incidents.filter((i) => i.name === 'Payments down')).toHaveLength(1);
    const authorizations = new Set(sp.server.requests.map((q) => q.headers['authorization']));
    expect(authorizations).toEqual(new Set([`OAuth ${KEY}`]));
    await assertSecretNowhere(r, KEY);
  });

  it('a sev2 is a major impact with partial outages; a sev3 leaves the page alone', async () => {
    const r = await start();
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev3 Slow search');
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev2 Checkout errors');
    const id = `${todayPrefix()}checkout-errors`;
    const page = await waitFor('the sev2 on the page', async () => opened(id));
    expect(page).toMatchObject({ impact: 'major', components: { cmp1checkout: 'partial_outage' } });
    await waitIncidentChannel(r.ws, `${todayPrefix()}slow-search`);
    expect(opened(`${todayPrefix()}slow-search`)).toBeUndefined();
  });

  it('retries a failing status page, says so in the incident channel, and never holds up Slack', async () => {
    const r = await start();
    sp.failNext(503, 2);
    const ack = await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev1 Login broken');
    expect(ack.status).toBe(200);
    const id = `${todayPrefix()}login-broken`;
    const channel = await waitIncidentChannel(r.ws, id);
    await waitMessage(
      r.ws,
      channel.id,
      /Could not open the status page incident \(attempt 1 of 8\): Statuspage HTTP 503: Service temporarily unavailable/,
    );
    const page = await waitFor('opened after the retries', async () => opened(id));
    expect(page.status).toBe('investigating');
    await waitMessage(r.ws, channel.id, /Status page incident opened/);
    expect(sp.incidents.filter((i) => i.name === 'Login broken')).toHaveLength(1);
  });

  it('a reply lost after the incident was created opens nothing twice', async () => {
    const r = await start();
    sp.loseNextCreateReply();
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev2 Carts empty');
    const id = `${todayPrefix()}carts-empty`;
    const channel = await waitIncidentChannel(r.ws, id);
    await waitMessage(r.ws, channel.id, /Status page incident opened/);
    expect(sp.incidents.filter((i) => i.name === 'Carts empty')).toHaveLength(1);
    expect((await r.oncall.incidents.get(id))?.statuspage?.id).toBe(opened(id)?.id);
  });

  it('a refused API key gives up at once and asks for the page to be updated by hand', async () => {
    const r = await start('not-the-right-key-000');
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev1 Search down');
    const channel = await waitIncidentChannel(r.ws, `${todayPrefix()}search-down`);
    await waitMessage(
      r.ws,
      channel.id,
      /Could not open the status page incident: Statuspage refused the API key \(HTTP 401: Could not authenticate\).*Update the status page by hand/,
    );
    await waitFor(
      'the state to say failed',
      async () =>
        (await r.oncall.incidents.get(`${todayPrefix()}search-down`))?.statuspage?.status === 'failed',
    );
    await assertSecretNowhere(r, 'not-the-right-key-000');
  });
});
