// Start guards through Slack (real Bolt HTTP receiver with signing, real workers, real Redis):
// freeze_on_incident refuses a start privately, naming the incident; --hotfix goes through (audited);
// a downgrade is refused with a pointer to /release rollback unless --downgrade.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import {
  assertEveryPayloadWithinLimits,
  botMessages,
  runbookYaml,
  startOnCallRunway,
  waitEphemeral,
  waitIncidentChannel,
  waitMessage,
  type OnCallRunway,
} from '../incidents/support.ts';

const redis = useRedis();
const running: OnCallRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    assertEveryPayloadWithinLimits(r.ws);
    await r.close();
  }
});

async function start(extra = ''): Promise<OnCallRunway> {
  const r = await startOnCallRunway(
    redis.url,
    runbookYaml({ stages: '[deploy, { bake: 1m }]', extra: `        freeze_on_incident: sev2\n${extra}` }),
  );
  running.push(r);
  return r;
}

const cards = (r: OnCallRunway) => botMessages(r.ws, 'CRELEASES').filter((m) => /checkout/.test(m.text));

describe('start guards through Slack', () => {
  it('an open sev2 refuses a start privately, naming the incident and its channel; --hotfix goes through', async () => {
    const r = await start();
    await r.ws.slash('UBOB', 'CRELEASES', '/incident', 'declare sev2 Carts emptying');
    const channel = await waitIncidentChannel(r.ws, /carts-emptying$/);
    await waitMessage(r.ws, 'CINCIDENTS', /SEV2 incident declared/);

    const ack = await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3');
    expect(ack.status).toBe(200);
    const refusal = await waitEphemeral(r.ws, 'UALICE', /frozen while a sev2 or worse incident is open/);
    expect(refusal).toContain(channel.name); // the incident's id is its channel's name
    expect(refusal).toContain(`<#${channel.id}>`);
    expect(refusal).toContain('--hotfix');
    expect(await r.runtime.store.listActive()).toEqual([]);
    expect(cards(r)).toEqual([]);

    await r.ws.slash('UBOB', 'CRELEASES', '/handoff', 'preview');
    const preview = await waitEphemeral(r.ws, 'UBOB', /Shift handoff/);
    expect(preview).toMatch(/\*checkout\* production: frozen while sev2 <#[A-Z0-9]+> is open/);

    await r.ws.slash(
      'UALICE',
      'CRELEASES',
      '/release',
      'start checkout v1.2.3 --hotfix "the fix for this incident"',
    );
    const active = await waitFor('the hotfix release', async () => (await r.runtime.store.listActive())[0]);
    expect(active.hotfix?.reason).toBe('the fix for this incident');
    const trail = await r.runtime.engine.auditTrail(active.id);
    const override = trail.find((e) => e.action === 'policy.override');
    expect(String(override?.details?.override)).toMatch(/^hotfix override: Releases are frozen while a sev2/);
    expect(override?.details?.reason).toBe('the fix for this incident');
  });

  it('a sev3 does not freeze sev2-frozen starts', async () => {
    const r = await start();
    await r.ws.slash('UBOB', 'CRELEASES', '/incident', 'declare sev3 Slow search');
    await waitMessage(r.ws, 'CINCIDENTS', /SEV3 incident declared/);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3');
    await waitFor('the release', async () => (await r.runtime.store.listActive()).length === 1);
  });

  it('refuses a downgrade with a pointer to /release rollback, unless --downgrade', async () => {
    const r = await start();
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.1');
    const refusal = await waitEphemeral(r.ws, 'UALICE', /older than v1\.2\.2/);
    expect(refusal).toContain('/release rollback checkout to v1.2.1');
    expect(await r.runtime.store.listActive()).toEqual([]);

    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.1 --downgrade');
    const active = await waitFor('the downgrade', async () => (await r.runtime.store.listActive())[0]);
    expect(active.version).toBe('v1.2.1');
    const trail = await r.runtime.engine.auditTrail(active.id);
    expect(trail.find((e) => e.action === 'policy.override')?.details?.override).toBe(
      'downgrade from v1.2.2 to v1.2.1',
    );
  });
});
