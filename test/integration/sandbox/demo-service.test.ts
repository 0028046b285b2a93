import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { loadTestRunbook, startRunway, waitFor, waitForState } from '../../helpers/runway.ts';
import { startDemoService } from '../../../src/sandbox/demo/service.ts';
import { demoRunbookText } from '../../../src/sandbox/demo-runbook.ts';
import { releaseCard } from '../../../src/slack/views/release-card.ts';
import type { Runtime } from '../../../src/runtime.ts';
import type { JsonObject } from '../../../src/sandbox/workspace/types.ts';
import { blocksText } from '../../helpers/message-text.ts';

const redis = useRedis();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function setup() {
  const demo = await startDemoService({ tickMs: 250, rps: 400 });
  cleanup.push(() => demo.close());
  const { runtime, notifier } = await startRunway(redis.url, loadTestRunbook(demoRunbookText(demo)));
  cleanup.push(() => runtime.close());
  return { demo, runtime, notifier };
}

/** Each needle's first index in `text`, in the needles' order; -1 for a missing one. */
const positions = (text: string, needles: string[]) => needles.map((n) => text.indexOf(n));
const ascending = (xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > xs[i - 1]!));

async function approved(runtime: Runtime, version: string): Promise<string> {
  const started = await runtime.engine.start({ service: 'shop', version, requester: 'UALICE' });
  if (!started.ok) throw new Error(started.reason);
  const id = started.release.id;
  await waitFor('pre-flight', async () => (await runtime.store.get(id))?.state === 'awaiting_approval');
  await runtime.engine.approve(id, { user: 'UBOB' });
  await runtime.engine.approve(id, { user: 'UCAROL' });
  return id;
}

describe('the demo service behind the bundled demo runbook', () => {
  it('a -bad version breaches the error-rate gate at 10% and walks back: traffic 0, flag off, rollback, migration undone', async () => {
    const { demo, runtime, notifier } = await setup();
    const id = await approved(runtime, 'v1.3.0-bad');
    await waitFor('10% on the canary', async () => demo.state().weight === 10);
    // Before the breach: the migration ran for this version and the flag is on for half the users.
    expect(demo.database()).toMatchObject({ schema: 2, migrations: [{ version: 'v1.3.0-bad', schema: 2 }] });
    expect(demo.flag()).toEqual({ key: 'new-checkout', on: true, percent: 50 });

    const done = await waitForState(runtime, id, ['rolled_back', 'completed', 'failed'], 40_000);
    expect(done.state).toBe('rolled_back');
    expect(done.rollback?.reason).toMatch(/gate error_rate: 0\.0\d+ > max 0\.02/);
    expect(done.rollback?.steps.map((s) => `${s.name}:${s.label ?? ''}:${s.status}`)).toEqual([
      'traffic::done',
      'undo-s2:flag new_checkout 50%:done',
      'rollback:deploy:done',
      'undo-s0:Database migration:done',
      'verify::done',
    ]);
    expect(demo.state()).toEqual({ stable: 'v1.2.0', canary: null, weight: 0 });
    expect(demo.flag()).toEqual({ key: 'new-checkout', on: false, percent: 0 });
    expect(demo.database()).toEqual({ schema: 1, migrations: [] });

    // Each undo is its own line in the thread, in the walk-back order, exactly once.
    // The thread's notes are delivered after the state is saved: wait for the last one.
    await waitFor('the rolled-back note', async () =>
      notifier.texts(id).some((t) => t.includes('*Rolled back*')),
    );
    const thread = notifier.texts(id).filter((t) => t.includes('Rollback step done'));
    expect(thread).toEqual([
      expect.stringContaining('traffic to 0%'),
      expect.stringContaining('undo flag new_checkout 50%: `launchdarkly flag new-checkout off`'),
      expect.stringMatching(/undo deploy: `POST http:\/\/127\.0\.0\.1:\d+\/rollback`/),
      expect.stringMatching(/undo Database migration: `POST http:\/\/127\.0\.0\.1:\d+\/migrate\/down`/),
      expect.stringContaining('smoke tests on the previous version'),
    ]);
    // And on the card, one line each, in the same order.
    const card = blocksText(releaseCard(done, { now: new Date() }).blocks as unknown as JsonObject[]);
    expect(
      ascending(
        positions(card, [
          'traffic to 0%',
          'undo flag new_checkout 50%',
          'undo deploy',
          'undo Database migration',
          'smoke tests on the previous version',
        ]),
      ),
    ).toBe(true);
  }, 60_000);

  it('serves Prometheus metrics and a health endpoint', async () => {
    const { demo } = await setup();
    await new Promise((r) => setTimeout(r, 600));
    const metrics = await (await fetch(`${demo.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{version="v1.2.0",code="200"\} \d+/);
    expect(await (await fetch(`${demo.url}/health`)).json()).toMatchObject({
      status: 'healthy',
      stable: 'v1.2.0',
    });
    const q = await (await fetch(`${demo.url}/api/v1/query?query=up`)).json();
    expect(q).toMatchObject({ status: 'success', data: { resultType: 'vector' } });
  });
});
