import { afterEach, describe, expect, it } from 'vitest';
import { useRedis, uniquePrefix } from '../../helpers/redis.ts';
import { waitFor, waitForState } from '../../helpers/runway.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../../helpers/slack-runway.ts';
import { messageText, startTestWorkspace, type TestWorkspace } from '../../helpers/workspace.ts';
import { AuditLog } from '../../../src/store/audit-log.ts';
import {
  assertEveryPayloadWithinLimits,
  runbookYaml,
  startOnCallRunway,
  textOf,
  waitEphemeral,
  waitIncidentChannel,
  type OnCallRunway,
} from './support.ts';

const redis = useRedis();
const running: OnCallRunway[] = [];
const workspaces: TestWorkspace[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    assertEveryPayloadWithinLimits(r.ws);
    await r.close();
  }
  for (const ws of workspaces.splice(0)) await ws.close();
});

const handoffs = (ws: TestWorkspace) =>
  ws.store.history('CONCALL').filter((m) => m.text.startsWith('Shift handoff'));

describe('/handoff', () => {
  it('posts the shift handoff to on-call: releases, open incidents, freezes, paused releases and the checklist; preview shows it only to the caller', async () => {
    const r = await startOnCallRunway(
      redis.url,
      runbookYaml({
        stages: '[deploy, { bake: 1m }]',
        extra:
          'handoff: { timezone: Europe/Paris, checklist: ["Read the pager log", "Check the error budget"] }\n',
      }),
    );
    running.push(r);
    const started = await r.runtime.engine.start({
      service: 'checkout',
      version: 'v1.2.3',
      requester: 'UALICE',
      originChannel: 'CRELEASES',
    });
    if (!started.ok) throw new Error(started.reason);
    const id = started.release.id;
    await r.runtime.engine.approve(id, { user: 'UBOB' });
    await r.runtime.engine.approve(id, { user: 'UCAROL' });
    await waitFor('the bake', async () => (await r.runtime.store.get(id))?.stages[1]?.status === 'running');
    expect((await r.runtime.engine.pause(id, { user: 'UALICE' }, 'waiting for the DBA')).ok).toBe(true);
    await waitForState(r.runtime, id, ['paused']);
    await r.runtime.engine.freeze('all', { user: 'UBOB' }, 'Black Friday');
    await r.ws.slash('UALICE', 'CRELEASES', '/incident', 'declare sev2 Carts emptying');
    await waitIncidentChannel(r.ws, /carts-emptying$/);

    await r.ws.slash('UBOB', 'CRELEASES', '/handoff', 'preview');
    const preview = await waitEphemeral(r.ws, 'UBOB', /Shift handoff/);
    expect(preview).toContain('Paused releases* (1)');
    expect(preview).toContain('Preview: only you see this');
    expect(preview).not.toContain('Posted by');
    expect(handoffs(r.ws)).toEqual([]);

    await r.ws.slash('UBOB', 'CRELEASES', '/handoff', '');
    await waitEphemeral(r.ws, 'UBOB', /Shift handoff posted in <#CONCALL>/);
    // Queued in #on-call's lane and delivered by a worker a moment later.
    const posted = textOf(await waitFor('the shift handoff', async () => handoffs(r.ws)[0]));
    expect(posted).toMatch(/Shift handoff — \d{4}-\d\d-\d\d \d\d:\d\d Europe\/Paris/);
    expect(posted).toContain('Releases in the last 24 hours* (0)');
    expect(posted).toContain('Open incidents* (1)');
    expect(posted).toContain('Carts emptying');
    expect(posted).toContain('*all services* frozen by <@UBOB>');
    expect(posted).toContain('waiting for the DBA');
    expect(posted).toContain('☐ Read the pager log');
    expect(posted).toContain('Posted by <@UBOB> with `/handoff`');

    // The next one counts from this one.
    await r.runtime.engine.abort(id, { user: 'UALICE' }, 'not today');
    await waitForState(r.runtime, id, ['aborted']);
    await r.ws.slash('UCAROL', 'CRELEASES', '/handoff', '');
    await waitFor('the second handoff', async () => handoffs(r.ws).length === 2);
    const second = textOf(handoffs(r.ws)[1]!);
    expect(second).toMatch(/Releases since the last handoff \(\d{4}-\d\d-\d\d \d\d:\d\d\)\* \(1\)/);
    expect(second).toContain('not today');

    await r.ws.slash('UCAROL', 'CRELEASES', '/handoff', 'now please');
    await waitEphemeral(r.ws, 'UCAROL', /not a \/handoff form[\s\S]*Usage: \/handoff/);
    expect(handoffs(r.ws)).toHaveLength(2);
  });
});

describe('scheduled shift handoffs', () => {
  it('posts one handoff per slot when two app processes on one Redis run the same schedule', async () => {
    const ws = await startTestWorkspace({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
    workspaces.push(ws);
    const prefix = uniquePrefix();
    const book = runbookYaml({ extra: 'handoff: { schedule: "* * * * * *", timezone: Europe/Paris }\n' });
    const a = await startOnCallRunway(redis.url, book, { ws, prefix, schedule: true });
    const b = await startOnCallRunway(redis.url, book, { ws, prefix, schedule: true });
    ws.setAppUrl(a.appUrl);
    await waitFor('three slots posted', async () => handoffs(ws).length >= 3, 10_000);
    await a.close();
    await b.close();
    const audit = new AuditLog(redis.connect(), prefix);
    const entries = [];
    for await (const e of audit.since()) if (e.action === 'handoff.posted') entries.push(e);
    const slots = entries.map((e) => String(e.details?.slot));
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots.every((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(s))).toBe(true);
    expect(handoffs(ws)).toHaveLength(slots.length);
    expect(handoffs(ws).every((m) => messageText(m).includes('Posted on the handoff schedule'))).toBe(true);
  });
});
