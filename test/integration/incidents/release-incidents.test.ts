import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor, waitForState } from '../../helpers/runway.ts';
import { sendJson, startServer, type TestServer } from '../../helpers/http-server.ts';
import { startFakePagerDuty, type FakePagerDuty } from '../../helpers/fake-pagerduty.ts';
import {
  ROUTING_KEY,
  assertEveryPayloadWithinLimits,
  assertSecretNowhere,
  botMessages,
  incidentChannels,
  pagerDuty,
  startOnCallRunway,
  textOf,
  waitIncidentChannel,
  waitMessage,
  type OnCallRunway,
} from './support.ts';

const redis = useRedis();
let errorRate = 0.001;
let prometheus: TestServer;
let health: TestServer;
let pd: FakePagerDuty;
beforeAll(async () => {
  prometheus = await startServer((_req, res) =>
    sendJson(res, 200, {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, String(errorRate)] }] },
    }),
  );
  health = await startServer((_req, res) => sendJson(res, 200, { status: 'healthy' }));
  pd = await startFakePagerDuty();
});
afterAll(async () => {
  await Promise.all([prometheus.close(), health.close(), pd.close()]);
});
const running: OnCallRunway[] = [];
afterEach(async () => {
  errorRate = 0.001;
  for (const r of running.splice(0)) {
    assertEveryPayloadWithinLimits(r.ws);
    await r.close();
  }
});

function yaml(): string {
  return `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
handoff: { links: { dashboard: "https://grafana.example.com/d/production" } }
services:
  checkout:
    previous_version: v1.2.2
    on_call_contact: UCAROL
    environments:
      production:
        approvals: { required: 2, approvers: [S0SRETEAM] }
        links: { logs: "https://logs.example.com/checkout" }
        actions:
          deploy: { command: ["node", "-e", "0", "deploy", "{{version}}"] }
          traffic: { command: ["node", "-e", "0", "traffic", "{{percent}}"] }
          rollback: { command: ["node", "-e", "0", "rollback", "{{previous_version}}"] }
          smoke: { http: [ { url: "${health.url}/health", expect_status: 200, expect_json: { status: healthy } } ] }
          page: ${pagerDuty(pd.enqueueUrl)}
        gates:
          error_rate:
            prometheus: { url: "${prometheus.url}", query: 'sum(rate(http_requests_total{code=~"5.."}[1m]))' }
            max: 0.005
            for: 300ms
            every: 100ms
        stages:
          - deploy
          - { traffic: 10, hold: 1s, gates: [error_rate] }
          - { traffic: 100 }
          - smoke
        rollback_incident: sev2
`;
}

async function start(): Promise<OnCallRunway> {
  const r = await startOnCallRunway(redis.url, yaml());
  running.push(r);
  return r;
}

async function approvedRelease(r: OnCallRunway): Promise<string> {
  const started = await r.runtime.engine.start({
    service: 'checkout',
    version: 'v1.2.3',
    requester: 'UALICE',
    notes: 'Adds Apple Pay',
    originChannel: 'CRELEASES',
  });
  if (!started.ok) throw new Error(started.reason);
  const id = started.release.id;
  expect((await r.runtime.engine.approve(id, { user: 'UBOB' })).ok).toBe(true);
  expect((await r.runtime.engine.approve(id, { user: 'UCAROL' })).ok).toBe(true);
  return id;
}

describe('incidents from releases', () => {
  it('declares an incident when an automatic rollback fires, linked both ways with the release thread', async () => {
    const r = await start();
    const id = await approvedRelease(r);
    await waitFor('traffic at 10%', async () => (await r.runtime.store.get(id))?.traffic === 10);
    errorRate = 0.05;
    const done = await waitForState(r.runtime, id, ['rolled_back', 'completed', 'failed']);
    expect(done.state).toBe('rolled_back');

    const channel = await waitIncidentChannel(r.ws, /checkout-v1-2-3-rolled-back-in-production$/);
    const incidentId = channel.name;
    // The release points at the incident, the incident at the release, and the thread says so.
    await waitFor(
      'the release linked',
      async () => (await r.runtime.store.get(id))?.incidentId === incidentId,
    );
    const card = (await r.runtime.store.get(id))!.card!;
    await waitFor('the link in the release thread', async () =>
      r.ws.store
        .replies(card.channel, card.ts)
        .some((m) => m.text.includes(`incident declared for this release: <#${channel.id}>`)),
    );
    const incident = (await r.oncall.incidents.get(incidentId))!;
    expect(incident).toMatchObject({
      severity: 'sev2',
      declaredBy: 'runway',
      commander: null,
      release: { id, version: 'v1.2.3', previousVersion: 'v1.2.2' },
    });
    expect(incident.reason).toMatch(/gate error_rate: 0\.05 > max 0\.005/);
    await waitFor('the incident card with the release link', async () =>
      textOf(botMessages(r.ws, channel.id)[0]!).includes(
        `archives/${card.channel}/p${card.ts.replace('.', '')}`,
      ),
    );
    expect(textOf(botMessages(r.ws, channel.id)[0]!)).toContain('nobody yet: Acknowledge to take command');
    // The requester and the approvers are in the channel; the incidents channel heard of it; PagerDuty too.
    expect(r.ws.store.channel(channel.id)?.members.sort()).toEqual(['UALICE', 'UBOB', 'UBOT', 'UCAROL']);
    await waitMessage(
      r.ws,
      'CINCIDENTS',
      /SEV2 incident declared:\* checkout v1\.2\.3 rolled back in production/,
    );
    const alert = await waitFor('the page', async () => pd.alerts.get(incidentId));
    expect(alert.customDetails).toMatchObject({
      release: id,
      service: 'checkout',
      version: 'v1.2.3',
      environment: 'production',
    });
    // Audited on both sides.
    expect((await r.runtime.audit.forRelease(id)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['incident.declared', 'release.incident_linked']),
    );
    expect((await r.runtime.audit.forIncident(incidentId)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['incident.declared', 'release.incident_linked']),
    );

    // A repeated hook or job declares nothing new.
    const again = (await r.runtime.store.get(id))!;
    await r.oncall.incidents.requestForRelease(again, {
      severity: 'sev2',
      title: incident.title,
      reason: 'again',
    });
    expect(
      (
        await r.oncall.incidents.declareForRelease({
          releaseId: id,
          severity: 'sev2',
          title: incident.title,
          reason: 'again',
        })
      )?.id,
    ).toBe(incidentId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(incidentChannels(r.ws)).toHaveLength(1);
    expect(r.ws.store.history('CINCIDENTS')).toHaveLength(1);
    expect(pd.alerts.get(incidentId)?.triggers).toBe(1);

    // Whoever acknowledges an automatic incident takes command; the postmortem tells the release's story.
    await r.ws.click('UBOB', botMessages(r.ws, channel.id)[0]!, 'incident_acknowledge');
    await waitFor(
      'bob in command',
      async () => (await r.oncall.incidents.get(incidentId))?.commander === 'UBOB',
    );
    await r.ws.slash(
      'UBOB',
      channel.id,
      '/incident',
      'resolve Rolled back; the new coupon code divided by zero',
    );
    const postmortem = textOf(await waitMessage(r.ws, channel.id, /Postmortem draft/));
    for (const line of [
      'Release of checkout v1.2.3 to production started by <@UALICE>',
      'Gate error_rate breached: 0.05 (max 0.005)',
      'Automatic rollback to v1.2.2 started: gate error_rate',
      'Rolled back to v1.2.2',
      'Incident declared (sev2) by Runway: checkout v1.2.3 rolled back in production',
      'Acknowledged by <@UBOB>; commander <@UBOB>',
      'Resolved by <@UBOB>: Rolled back; the new coupon code divided by zero',
    ]) {
      expect(postmortem).toContain(line);
    }
    expect(postmortem).toContain('Trigger: gate error_rate: 0.05 &gt; max 0.005');
    await assertSecretNowhere(r, ROUTING_KEY);
  });

  it('links the incident in the release thread once a card Slack held back is posted', async () => {
    const r = await start();
    // The card's post is answered 429 Retry-After 4: the card waits in its lane while the incident is declared.
    r.ws.failNext('chat.postMessage', { status: 429, retryAfter: 4 });
    const id = await approvedRelease(r);
    await waitFor('the card rate limited', async () =>
      r.ws.calls('chat.postMessage').some((c) => c.fault && c.args.channel === 'CRELEASES'),
    );
    await r.oncall.incidents.requestForRelease((await r.runtime.store.get(id))!, {
      severity: 'sev2',
      title: 'checkout v1.2.3 broke checkout',
      reason: 'by hand',
    });
    const channel = await waitIncidentChannel(r.ws, /checkout-v1-2-3-broke-checkout$/);
    await waitFor(
      'the declaration finished',
      async () => (await r.oncall.incidents.get(channel.name))?.releaseLinked,
    );
    expect((await r.runtime.store.get(id))?.card).toBeUndefined();
    const card = await waitFor('the card posted', async () => (await r.runtime.store.get(id))?.card, 15_000);
    const link = await waitFor('the link in the release thread', async () =>
      r.ws.store
        .replies(card.channel, card.ts)
        .find((m) => m.text.includes(`incident declared for this release: <#${channel.id}>`)),
    );
    expect(link.thread_ts).toBe(card.ts);
    const links = r.ws.store.history(card.channel).concat(r.ws.store.replies(card.channel, card.ts));
    expect(links.filter((m) => m.text.includes(`<#${channel.id}>`))).toEqual([link]);
  }, 40_000);

  it('posts the release handoff to on-call when a release completes, with every field and the exact rollback action', async () => {
    const r = await start();
    const id = await approvedRelease(r);
    const done = await waitForState(r.runtime, id, ['completed', 'rolled_back', 'failed']);
    expect(done.state).toBe('completed');
    const handoff = await waitMessage(r.ws, 'CONCALL', /Release handoff: checkout v1\.2\.3 → production/);
    const text = textOf(handoff);
    for (const part of [
      `archives/${done.card!.channel}/p${done.card!.ts.replace('.', '')}|release card`,
      `*Deployed at*\n${done.endedAt!.slice(0, 16).replace('T', ' ')} UTC`,
      '*Deployed by*\n<@UALICE>',
      '*Summary*\nAdds Apple Pay',
      '✅ Stable',
      '*error_rate* 0.001 (within max 0.005) ✅',
      'Smoke tests passed ✅',
      '*Known issues*\n_None recorded._',
      'dashboard: <https://grafana.example.com/d/production|',
      'logs: <https://logs.example.com/checkout|',
      'Previous version: *v1.2.2*',
      'Rollback action: `node -e 0 rollback v1.2.2`',
      '`/release rollback checkout`',
      '*On-call contact*\n<@UCAROL>',
    ]) {
      expect(text).toContain(part);
    }
    // Delivered once, even when the hook runs again (or runs while the first call is still posting).
    await waitFor('the handoff marked posted', async () =>
      (await r.runtime.audit.forRelease(id)).some((e) => e.action === 'handoff.release_posted'),
    );
    await r.oncall.handoff.postReleaseHandoff(done);
    expect(r.ws.store.history('CONCALL').filter((m) => m.text.startsWith('Release handoff'))).toHaveLength(1);
    expect(
      (await r.runtime.audit.forRelease(id)).filter((e) => e.action === 'handoff.release_posted'),
    ).toHaveLength(1);
  });
});

describe('the release handoff claim', () => {
  it('lets exactly one of two concurrent posters post, and says the other is busy until it is posted', async () => {
    const { HandoffStore } = await import('../../../src/handoff/handoff-store.ts');
    const { storeKeys } = await import('../../../src/store/keys.ts');
    const { uniquePrefix } = await import('../../helpers/redis.ts');
    const store = new HandoffStore(redis.connect(), storeKeys(uniquePrefix()));
    const claims = await Promise.all([store.claimRelease('r1'), store.claimRelease('r1')]);
    expect(claims.sort()).toEqual(['busy', 'claimed']);
    await store.markRelease('r1');
    expect(await store.claimRelease('r1')).toBe('posted');
    expect(await store.releasePosted('r1')).toBe(true);
  });
});
