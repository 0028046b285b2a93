import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { INCIDENT_USAGE } from '../../../src/slack/views/help.ts';
import { startFakePagerDuty, type FakePagerDuty } from '../../helpers/fake-pagerduty.ts';
import { startServer, sendJson, type TestServer } from '../../helpers/http-server.ts';
import {
  ROUTING_KEY,
  assertEveryPayloadWithinLimits,
  assertSecretNowhere,
  botMessages,
  incidentChannels,
  pagerDuty,
  runbookYaml,
  startOnCallRunway,
  textOf,
  todayPrefix,
  waitEphemeral,
  waitIncidentChannel,
  waitMessage,
  type OnCallRunway,
} from './support.ts';

const redis = useRedis();
let pd: FakePagerDuty;
beforeAll(async () => {
  pd = await startFakePagerDuty();
});
afterAll(async () => {
  await pd.close();
});
const running: OnCallRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    assertEveryPayloadWithinLimits(r.ws);
    await r.close();
  }
});

async function start(yaml = runbookYaml({ page: pagerDuty(pd.enqueueUrl) })): Promise<OnCallRunway> {
  const r = await startOnCallRunway(redis.url, yaml);
  running.push(r);
  return r;
}

const buttons = (r: OnCallRunway, channel: string, ts: string) =>
  JSON.stringify(r.ws.store.message(channel, ts)?.blocks ?? []);

describe('/incident declare', () => {
  it('creates the channel, invites the declarer and the on-call approvers, posts the card and the announcement, and pages', async () => {
    const r = await start();
    const ack = await r.ws.slash(
      'UALICE',
      'CRELEASES',
      '/incident',
      'declare sev2 Checkout errors after v1.2.3',
    );
    expect(ack.status).toBe(200);
    expect(ack.ms).toBeLessThan(3000);
    const id = `${todayPrefix()}checkout-errors-after-v1-2-3`;
    const channel = await waitIncidentChannel(r.ws, id);
    await waitEphemeral(r.ws, 'UALICE', new RegExp(`Declared \\*SEV2\\* <#${channel.id}>`));
    const card = await waitFor('the incident card', async () => botMessages(r.ws, channel.id)[0]);
    // Declarer and the S0SRETEAM approvers (bob, carol) are in; the bot created it.
    expect(r.ws.store.channel(channel.id)?.members.sort()).toEqual(['UALICE', 'UBOB', 'UBOT', 'UCAROL']);
    // The channel's topic says what it is about (conversations.setTopic), once.
    expect(r.ws.store.channel(channel.id)?.topic).toMatch(
      /^SEV2 incident · declared \d{4}-\d\d-\d\d \d\d:\d\d UTC · Checkout errors after v1\.2\.3$/,
    );
    expect(r.ws.calls('conversations.setTopic')).toHaveLength(1);
    const cardText = textOf(card);
    expect(cardText).toContain('SEV2 · Checkout errors after v1.2.3');
    expect(cardText).toContain('sev2 (High)');
    expect(cardText).toMatch(/\*Commander\*\s*<@UALICE>/);
    expect(cardText).toContain('Declared');
    expect(buttons(r, channel.id, card.ts)).toMatch(
      /incident_acknowledge[\s\S]*incident_update[\s\S]*incident_resolve/,
    );
    const announcement = await waitMessage(r.ws, 'CINCIDENTS', /SEV2 incident declared/);
    expect(textOf(announcement)).toContain('Checkout errors after v1.2.3');
    expect(textOf(announcement)).toContain(`<#${channel.id}>`);
    // Paged through PagerDuty Events API v2, keyed by the incident id.
    const alert = await waitFor('the PagerDuty alert', async () => pd.alerts.get(id));
    expect(alert).toMatchObject({
      status: 'triggered',
      severity: 'error',
      summary: '[SEV2] Checkout errors after v1.2.3',
      triggers: 1,
    });
    expect(alert.customDetails).toMatchObject({ incident: id, declared_by: 'UALICE', commander: 'UALICE' });
    await waitMessage(r.ws, channel.id, /On-call paged: PagerDuty trigger accepted/);
    await waitFor('the card to say paged', async () =>
      /paged through PagerDuty/.test(textOf(r.ws.store.message(channel.id, card.ts)!)),
    );
    const trail = (await r.runtime.audit.forIncident(id)).map((e) => e.action);
    expect(trail).toEqual(['incident.declared', 'incident.paged']);
    await assertSecretNowhere(r, ROUTING_KEY);
  });

  it('still pages when the incidents channel does not exist, and says so in the incident channel', async () => {
    const r = await start(
      runbookYaml({ page: pagerDuty(pd.enqueueUrl) }).replace(
        'incidents: "#incidents"',
        'incidents: "#nope-incidents"',
      ),
    );
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev2 Search down');
    const id = `${todayPrefix()}search-down`;
    const channel = await waitIncidentChannel(r.ws, id);
    await waitMessage(
      r.ws,
      channel.id,
      /could not be announced: Slack channel #nope-incidents does not exist/,
    );
    await waitFor('the PagerDuty alert', async () => pd.alerts.get(id));
    await waitMessage(r.ws, channel.id, /On-call paged/);
  });

  it('adds -2, -3 … to the name while Slack says it is taken', async () => {
    const r = await start(runbookYaml());
    const base = `${todayPrefix()}db-latency`;
    r.ws.store.createChannel({ name: base, creator: 'UCAROL' });
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev3 DB latency');
    await waitIncidentChannel(r.ws, `${base}-2`);
    await r.ws.slash('UBOB', 'CRELEASES', '/incident', 'declare sev3 DB   latency!');
    await waitIncidentChannel(r.ws, `${base}-3`);
    const taken = r.ws
      .calls('conversations.create')
      .filter((c) => c.error === 'name_taken')
      .map((c) => c.args.name);
    expect(taken).toEqual([base, base]);
    // The channel shows up a moment before its incident is saved.
    const open = await waitFor('both incidents saved', async () => {
      const all = await r.oncall.incidents.listOpen();
      return all.length >= 2 ? all : undefined;
    });
    expect(open.map((i) => i.id).sort()).toEqual([`${base}-2`, `${base}-3`]);
    // sev3 does not page.
    expect(open.every((i) => i.paging.status === 'not_needed')).toBe(true);
    expect(pd.alerts.has(`${base}-2`)).toBe(false);
  });

  it.each([
    ['declare sev5 Checkout down', /"sev5" is not a severity/],
    ['declare critical Checkout down', /"critical" is not a severity/],
    ['declare sev2', /needs a title/],
    ['declare sev2    ', /needs a title/],
    ['declare', /Say the severity and a title/],
    [`declare sev1 ${'x'.repeat(151)}`, /within 150 characters/],
    ['panic now', /not an \/incident command/],
  ])('answers %j ephemerally with the usage and creates nothing', async (text, pattern) => {
    const r = await start();
    const ack = await r.ws.slash('UALICE', 'CRELEASES', '/incident', text);
    expect(ack.status).toBe(200);
    const reply = await waitEphemeral(r.ws, 'UALICE', pattern);
    expect(reply).toContain('Usage: /incident declare <sev1|sev2|sev3|sev4> <title…>');
    expect(r.ws.calls('conversations.create')).toEqual([]);
    expect(r.ws.calls('chat.postMessage')).toEqual([]);
    expect(incidentChannels(r.ws)).toEqual([]);
    expect(await r.oncall.incidents.listOpen()).toEqual([]);
  });
});

describe('an incident’s life: acknowledge, updates, resolve, postmortem', () => {
  it('acknowledges, posts updates by command and by modal, resolves, resolves the page and posts a postmortem built from the audit log', async () => {
    const r = await start();
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev2 Search returns 500s');
    const id = `${todayPrefix()}search-returns-500s`;
    const channel = await waitIncidentChannel(r.ws, id);
    await waitFor('paged', async () => pd.alerts.get(id)?.status === 'triggered');
    await waitFor('the card to say paged', async () =>
      /paged through/.test(textOf(botMessages(r.ws, channel.id)[0]!)),
    );
    const card = botMessages(r.ws, channel.id)[0]!;

    await r.ws.click('UBOB', card, 'incident_acknowledge');
    await waitMessage(r.ws, channel.id, /<@UBOB> acknowledged the incident/);
    await waitFor(
      'the card without Acknowledge',
      async () => !buttons(r, channel.id, card.ts).includes('incident_acknowledge'),
    );
    await waitFor('the PagerDuty acknowledgement', async () => pd.alerts.get(id)?.status === 'acknowledged');
    // A second Acknowledge (from a client still showing the old card) is explained, not applied.
    await r.ws.click('UCAROL', card, 'incident_acknowledge', undefined, {
      element: { type: 'button', value: id },
      blockId: 'incident-actions',
    });
    await waitEphemeral(r.ws, 'UCAROL', /acknowledged it already/);

    await r.ws.slash(
      'UBOB',
      channel.id,
      '/incident',
      'update Rolled back the search flag; error rate falling',
    );
    await waitMessage(r.ws, channel.id, /Update\* from <@UBOB>:\nRolled back the search flag/);
    await waitEphemeral(r.ws, 'UBOB', /Update posted/);

    await r.ws.click('UCAROL', r.ws.store.message(channel.id, card.ts)!, 'incident_update');
    const modal = await waitFor(
      'the Post update modal',
      async () => r.ws.store.views.openModals('UCAROL')[0],
    );
    expect(modal.definition.private_metadata).toBe(id);
    const empty = await r.ws.submitView('UCAROL', modal.id, { 'incident-update': { text: '   ' } });
    expect(empty.body).toContain('Say what changed');
    await r.ws.submitView('UCAROL', modal.id, { 'incident-update': { text: 'Error rate back to 0.1%' } });
    await waitMessage(r.ws, channel.id, /Update\* from <@UCAROL>:\nError rate back to 0\.1%/);
    await waitFor('the card to show the latest update', async () =>
      textOf(r.ws.store.message(channel.id, card.ts)!).includes('Error rate back to 0.1%'),
    );

    // Outside an incident channel, update and resolve say where they work.
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'resolve');
    const outside = await waitEphemeral(
      r.ws,
      'UALICE',
      /works inside an incident channel, and this is not one[\s\S]*Open incidents/,
    );
    // A bad command like any other: the usage line, and the attempt audited.
    expect(outside).toContain(INCIDENT_USAGE);
    await waitFor('the misplaced resolve audited', async () => {
      for await (const e of r.runtime.audit.since())
        if (
          e.action === 'refused.command' &&
          e.actor === 'UALICE' &&
          /resolve/.test(JSON.stringify(e.details))
        )
          return true;
      return undefined;
    });

    await r.ws.slash('UALICE', channel.id, '/incident', 'resolve Bad index on the search table; rebuilt it');
    const postmortem = await waitMessage(r.ws, channel.id, /Postmortem draft: Search returns 500s/);
    await waitFor('the page resolved', async () => pd.alerts.get(id)?.status === 'resolved');
    expect(pd.events.filter((e) => e.dedup_key === id).map((e) => e.event_action)).toEqual([
      'trigger',
      'acknowledge',
      'resolve',
    ]);
    // Card edits take their turn in the workspace's chat.update budget.
    await waitFor('the card resolved', async () =>
      textOf(r.ws.store.message(channel.id, card.ts)!).includes('Resolved'),
    );
    expect(buttons(r, channel.id, card.ts)).not.toContain('incident_');
    const announcement = await waitMessage(r.ws, 'CINCIDENTS', /SEV2 incident declared/);
    await waitFor('the resolution under the announcement', async () =>
      r.ws.store
        .replies('CINCIDENTS', announcement.ts)
        .some((m) => /Resolved\* by <@UALICE> after/.test(m.text)),
    );

    // The timeline is the audit log, in order, in words.
    const text = textOf(postmortem);
    const order = [
      'Incident declared (sev2) by <@UALICE>: Search returns 500s',
      'On-call paged (trigger via pagerduty)',
      'Acknowledged by <@UBOB>; commander <@UALICE>',
      'Update from <@UBOB>: Rolled back the search flag; error rate falling',
      'Update from <@UCAROL>: Error rate back to 0.1%',
      'Resolved by <@UALICE>: Bad index on the search table; rebuilt it',
    ];
    let last = -1;
    for (const line of order) {
      const at = text.indexOf(line);
      expect(at, line).toBeGreaterThan(last);
      last = at;
    }
    for (const heading of [
      '*Impact*',
      '*Timeline* (UTC)',
      '*Root cause*',
      '*Resolution*',
      '*Action items*',
      '*Prevention*',
    ])
      expect(text).toContain(heading);
    await waitFor('every step audited', async () => {
      const actions = new Set((await r.runtime.audit.forIncident(id)).map((e) => e.action));
      return [
        'incident.declared',
        'incident.paged',
        'incident.acknowledged',
        'incident.update',
        'incident.resolved',
        'incident.postmortem_posted',
      ].every((a) => actions.has(a));
    });
    expect((await r.oncall.incidents.get(id))?.postmortem).toBeDefined();

    await r.ws.slash('UALICE', channel.id, '/incident', 'resolve');
    await waitEphemeral(r.ws, 'UALICE', /resolved already by <@UALICE>/);
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'list');
    await waitEphemeral(r.ws, 'UALICE', /^No open incidents\.$/);
  });

  it('uploads a postmortem too long for a message as a markdown file, with a summary', async () => {
    const r = await start(runbookYaml());
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev3 Slow checkout');
    const channel = await waitIncidentChannel(r.ws, /slow-checkout$/);
    await botMessages(r.ws, channel.id)[0];
    for (const n of [1, 2]) {
      await r.ws.slash('UALICE', channel.id, '/incident', `update ${`step ${n}: `.padEnd(1900, 'z')}`);
      await waitFor(
        `update ${n}`,
        async () => r.ws.store.history(channel.id).filter((m) => m.text.includes('*Update*')).length === n,
      );
    }
    await r.ws.slash(
      'UALICE',
      channel.id,
      '/incident',
      `resolve ${'Cache stampede after a deploy. '.repeat(64)}`,
    );
    const summary = await waitMessage(r.ws, channel.id, /Too long for a message/);
    expect(r.ws.calls('files.getUploadURLExternal')).toHaveLength(1);
    expect(r.ws.calls('files.completeUploadExternal')).toHaveLength(1);
    const file = r.ws.store.files.all().find((f) => f.channel === channel.id);
    expect(file?.name).toBe(`postmortem-${channel.name}.md`);
    const markdown = file?.content.toString('utf8') ?? '';
    expect(markdown.startsWith('# Postmortem: Slow checkout')).toBe(true);
    expect(markdown).toContain('## Timeline (UTC)');
    expect(markdown).toContain(`Update from @UALICE: step 1: ${'z'.repeat(1892)}`);
    expect(markdown).toContain('Cache stampede after a deploy.');
    expect(summary.files?.map((f) => f.name)).toEqual([`postmortem-${channel.name}.md`]);
  });
});

describe('paging', () => {
  it('retries a failing PagerDuty, says so in the channel, and never blocks the declaration', async () => {
    const r = await start();
    pd.failNext(500, 2);
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev1 Payments down');
    const id = `${todayPrefix()}payments-down`;
    const channel = await waitIncidentChannel(r.ws, id);
    // Declared (card, announcement, reply) while paging still fails.
    await waitEphemeral(r.ws, 'UALICE', /Declared \*SEV1\*/);
    await waitMessage(r.ws, 'CINCIDENTS', /SEV1 incident declared/);
    await waitMessage(
      r.ws,
      channel.id,
      /Paging the on-call failed \(attempt 1 of 6\): PagerDuty refused the trigger: HTTP 500/,
    );
    await waitMessage(r.ws, channel.id, /On-call paged/);
    expect(pd.alerts.get(id)).toMatchObject({ status: 'triggered', severity: 'critical' });
    const failures = (await r.runtime.audit.forIncident(id)).filter(
      (e) => e.action === 'incident.page_failed',
    );
    expect(failures.map((e) => e.details?.attempt)).toEqual([1, 2]);
    // Only the first failure is posted; the routing key (echoed by the failing server) never shows.
    expect(
      r.ws.store.history(channel.id).filter((m) => m.text.includes('Paging the on-call failed')),
    ).toHaveLength(1);
    await assertSecretNowhere(r, ROUTING_KEY);
  });

  it('gives up on a refused page at once and asks people to page by hand', async () => {
    const r = await start();
    pd.failNext(400, 1);
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev2 Orders stuck');
    const channel = await waitIncidentChannel(r.ws, /orders-stuck$/);
    await waitMessage(
      r.ws,
      channel.id,
      /failed for good: PagerDuty refused the trigger: HTTP 400.*Page them by hand/,
    );
    await waitFor('the card to say so', async () =>
      /page the on-call by hand/.test(textOf(botMessages(r.ws, channel.id)[0]!)),
    );
    expect((await r.oncall.incidents.get(channel.name))?.paging.status).toBe('failed');
    // The card's Resolve button asks for an optional summary, then resolves it like the command does.
    await r.ws.click('UBOB', botMessages(r.ws, channel.id)[0]!, 'incident_resolve');
    const modal = await waitFor('the Resolve dialog', async () => r.ws.store.views.openModals('UBOB')[0]);
    // Carol opens hers too, before Bob submits: hers will come too late.
    await r.ws.click('UCAROL', botMessages(r.ws, channel.id)[0]!, 'incident_resolve');
    const late = await waitFor('Carol’s dialog', async () => r.ws.store.views.openModals('UCAROL')[0]);
    expect((await r.oncall.incidents.get(channel.name))?.status).not.toBe('resolved');
    await r.ws.submitView('UBOB', modal.id, {
      'incident-resolve': { summary: 'Stale cache on the order queue' },
    });
    await waitMessage(r.ws, channel.id, /Postmortem draft: Orders stuck/);
    expect((await r.oncall.incidents.get(channel.name))?.summary).toBe('Stale cache on the order queue');
    expect((await r.oncall.incidents.get(channel.name))?.resolvedBy).toBe('UBOB');
    await r.ws.submitView('UCAROL', late.id, { 'incident-resolve': { summary: 'Me too' } });
    await waitEphemeral(r.ws, 'UCAROL', /resolved already by <@UBOB>/);
    expect((await r.oncall.incidents.get(channel.name))?.summary).toBe('Stale cache on the order queue');
  });

  it('runs a webhook page action once, with the incident id as its idempotency key', async () => {
    let hook: TestServer | undefined;
    try {
      hook = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
      const r = await start(
        runbookYaml({ page: `{ webhook: { url: "${hook.url}/page", body: { service: "{{service}}" } } }` }),
      );
      await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev2 Webhook paging');
      const channel = await waitIncidentChannel(r.ws, /webhook-paging$/);
      await waitMessage(r.ws, channel.id, /On-call paged: HTTP 200/);
      expect(hook.requests).toHaveLength(1);
      expect(hook.requests[0]?.headers['idempotency-key']).toBe(`${channel.name}-page`);
      expect(JSON.parse(hook.requests[0]!.body.toString())).toEqual({ service: 'checkout' });
    } finally {
      await hook?.close();
    }
  });
});
