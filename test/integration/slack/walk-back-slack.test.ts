// Issue 12 through Slack: the walk back as people see it. Real Bolt HTTP receiver with real signing,
// real workers, real Redis, real commands; a LaunchDarkly fake and a Prometheus-format server on
// 127.0.0.1. A failed undo stops the walk (failed, the card names the undo and its output tail, an
// incident); a dry run prints the walk; `/release rollback` — of a running or a completed release —
// walks back its stages the same way and turns the flag off.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor, waitForState } from '../../helpers/runway.ts';
import { messageText, type Message } from '../../helpers/workspace.ts';
import { LD_TOKEN, WALK, walkBackFixture, type WalkBackOptions } from '../../helpers/walk-back-fixture.ts';
import { startOnCallRunway, waitIncidentChannel, type OnCallRunway } from '../incidents/support.ts';
import type { Release } from '../../../src/release/types.ts';

const redis = useRedis();
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const HEADER = 'channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }';
const FINAL: Release['state'][] = ['rolled_back', 'failed', 'completed'];

async function start(opts: WalkBackOptions) {
  const f = await walkBackFixture({ header: HEADER, ...opts });
  cleanup.push(() => f.close());
  const r: OnCallRunway = await startOnCallRunway(redis.url, f.yaml, { env: { LD_TOKEN } });
  cleanup.push(() => r.close());
  return { f, r };
}

/** Alice starts checkout v1.3.0 from #releases; the release it opened. */
async function slashStart(r: OnCallRunway, extra = ''): Promise<string> {
  await r.ws.slash('UALICE', 'CRELEASES', '/release', `start checkout v1.3.0${extra}`);
  return waitFor('the release', async () => {
    const all = [...(await r.runtime.store.listActive()), ...(await r.runtime.store.history('checkout'))];
    return all.find((x) => x.kind !== 'rollback')?.id;
  });
}

async function cardOf(r: OnCallRunway, id: string): Promise<{ card: Message; thread: string[] }> {
  const ref = await waitFor('the card', async () => (await r.runtime.store.get(id))?.card);
  const card = r.ws.store.message(ref.channel, ref.ts)!;
  return { card, thread: r.ws.store.replies(ref.channel, ref.ts).map(messageText) };
}

const steps = (r: Release | null) => r?.rollback?.steps.map((s) => `${s.name}:${s.status}`);

describe('the walk back in Slack', () => {
  it('a dry run prints the walk it would take, touching nothing', async () => {
    const { f, r } = await start({});
    const id = await slashStart(r, ' --dry-run');
    const text = await waitFor('the dry run with its walk back', async () => {
      const { thread } = await cardOf(r, id);
      return thread.find((t) => t.includes('A rollback would walk back'));
    });
    const walk = text.slice(text.indexOf('A rollback would walk back'));
    const order = [
      '1. traffic to 0%',
      '2. undo flag ai 10%, hold 300ms: `launchdarkly flag ai_suggestions off`',
      '3. undo deploy: `node ',
      '4. undo Database migration: `node ',
    ].map((w) => walk.indexOf(w));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(walk).toContain('Database migration');
    expect(f.actions()).toEqual([]);
    expect(f.ld.server.requests).toHaveLength(0);
  }, 60_000);

  it('a failed undo stops the walk: failed, the card names the undo and its output, an incident', async () => {
    const { f, r } = await start({ failRollback: 'psql: ERROR: lock timeout on table orders' });
    const id = await slashStart(r);
    const end = await waitForState(r.runtime, id, FINAL, 60_000);
    expect(end.state).toBe('failed');
    expect(steps(end)).toEqual(['traffic:done', 'undo-s3:done', 'rollback:failed', 'undo-s1:skipped']);
    // The rollback ran (and failed); the migration was not reversed on top of a half-rolled-back deploy.
    expect(f.actions()).toEqual(WALK.slice(0, 9));
    const cardText = await waitFor('the card to say the rollback is incomplete', async () => {
      const text = messageText((await cardOf(r, id)).card);
      return text.includes('Rollback incomplete') && text;
    });
    const { thread } = await cardOf(r, id);
    expect(cardText).toMatch(/undo deploy: `node .*rollback v1\.2\.2`/);
    expect(cardText).toMatch(/exit 3 after/);
    expect(cardText).toContain('psql: ERROR: lock timeout on table orders');
    expect(cardText).toMatch(/Outcome:\* Rollback incomplete: rollback failed \(exit 3 after/);
    expect(thread.some((t) => t.includes('psql: ERROR: lock timeout on table orders'))).toBe(true);
    const channel = await waitIncidentChannel(r.ws, /checkout-v1-3-0-rollback-failed-in-production$/);
    const incident = await waitFor('the incident', async () => r.oncall.incidents.get(channel.name));
    expect(incident.release?.id).toBe(id);

    // A human asks again: the undos that already ran (the flag off) are not run a second time.
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'rollback checkout after fixing the lock');
    const again = await waitFor(
      'the second walk back',
      async () =>
        (await r.runtime.store.history('checkout')).find(
          (x) => x.kind === 'rollback' && FINAL.includes(x.state),
        ),
      60_000,
    );
    expect(steps(again)).toEqual(['traffic:done', 'rollback:failed', 'undo-s1:skipped']);
    expect(f.actions()).toEqual([...WALK.slice(0, 9), 'traffic 0', 'rollback v1.2.2']);
  }, 120_000);

  it('/release rollback of a running release walks back its stages and turns the flag off', async () => {
    const { f, r } = await start({ breach: false });
    const id = await slashStart(r);
    await waitFor('traffic at 50%', async () => (await r.runtime.store.get(id))?.traffic === 50, 60_000);
    expect(f.ld.env('production')).toMatchObject({ on: true });
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'rollback checkout latency regression');
    const end = await waitForState(r.runtime, id, FINAL, 60_000);
    expect(end.state).toBe('rolled_back');
    expect(f.actions()).toEqual(WALK);
    expect(f.ld.env('production').on).toBe(false);
    expect(end.rollback).toMatchObject({ automatic: false, by: 'UALICE', reason: 'latency regression' });
  }, 90_000);

  it('/release rollback of a completed release walks back its stages the same way, each undo once', async () => {
    const { f, r } = await start({ breach: false, hold50: '300ms' });
    const id = await slashStart(r);
    const done = await waitForState(r.runtime, id, FINAL, 60_000);
    expect(done.state).toBe('completed');
    const shipped = ['snapshot', 'migrate', 'deploy v1.3.0', 'flag rollout 10', 'flag on', 'traffic 50'];
    expect(f.actions()).toEqual([...shipped, 'traffic 100']);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'rollback checkout bad numbers in the report');
    const rollback = await waitFor(
      'the rollback release',
      async () =>
        (await r.runtime.store.history('checkout')).find(
          (x) => x.kind === 'rollback' && FINAL.includes(x.state),
        ),
      60_000,
    );
    expect(rollback.state).toBe('rolled_back');
    expect(rollback.previousVersion).toBe('v1.2.2');
    expect(steps(rollback)).toEqual(['traffic:done', 'undo-s3:done', 'rollback:done', 'undo-s1:done']);
    expect(f.actions()).toEqual([
      ...shipped,
      'traffic 100',
      'traffic 0',
      'flag off',
      'rollback v1.2.2',
      'migrate_down',
    ]);
    expect(f.ld.env('production').on).toBe(false);
    // A second /release rollback finds nothing left running to roll back, and runs nothing again.
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'rollback checkout');
    await waitFor('the refusal', async () =>
      r.ws.store.ephemerals('UALICE').some((e) => /no active release|nothing|no finished/i.test(e.text)),
    );
    expect(f.actions()).toHaveLength(11);
  }, 120_000);
});
