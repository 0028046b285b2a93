// 20 releases at once against a workspace that enforces Slack's rate limits, through the real Bolt
// app, real workers and a real Redis: every line and handoff arrives once and in order, Slack
// rarely has to say 429, handoffs reach #on-call soon after their release goes live, and acks stay fast.
import { afterEach, describe, expect, it } from 'vitest';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import { messageText } from '../../helpers/message-text.ts';
import type { SlackDelivery } from '../../../src/slack/delivery/service.ts';

const redis = useRedis();
const running: SlackRunway[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

const RELEASES = 20;
const names = Array.from({ length: RELEASES }, (_, i) => `svc${String(i + 1).padStart(2, '0')}`);

const yaml = `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
defaults:
  environment: production
  approvals: { required: 0 }
  actions:
    deploy: { command: ["true"] }
    traffic: { command: ["true"] }
    rollback: { command: ["true"] }
  stages:
    - deploy
    - { traffic: 50, hold: 2s }
    - { traffic: 100 }
services:
${names.map((n) => `  ${n}: {}`).join('\n')}
`;

const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1] ?? 0;

describe('Slack at a busy company’s scale', () => {
  it('delivers 20 concurrent releases within Slack’s limits: every line once and in order, handoffs on time, acks fast', async () => {
    const r = await startSlackRunway(redis.url, yaml, { rateLimits: true });
    running.push(r);
    await Promise.all(names.map((n) => r.ws.slash('UALICE', 'CRELEASES', '/release', `start ${n} v1.0.0`)));
    const acks: number[] = [];
    let stop = false;
    // Someone keeps asking for the status while the posts queue up: the ack must not wait behind them.
    const asking = (async () => {
      while (!stop) {
        acks.push((await r.ws.slash('UBOB', 'CRELEASES', '/release', 'status')).ms);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    })();

    const releases = await waitFor(
      'every release completed',
      async () => {
        const all = await Promise.all(
          (await r.runtime.store.history(undefined, 100)).map((x) => r.runtime.store.get(x.id)),
        );
        const done = all.filter((x) => x?.state === 'completed');
        return done.length === RELEASES ? done : null;
      },
      180_000,
    );
    const handoffs = () => r.ws.store.history('CONCALL').filter((m) => m.text.startsWith('Release handoff'));
    await waitFor('every handoff', async () => handoffs().length >= RELEASES || null, 120_000);
    await waitFor(
      'the thread lines delivered',
      async () =>
        (await (r.runtime.slack?.delivery as SlackDelivery).depths()).every((d) => d.depth === 0) || null,
      180_000,
    );
    stop = true;
    await asking;

    // Each handoff exactly once, posted within 30 s (p95) of its release going live.
    const handoffCalls = r.ws
      .calls('chat.postMessage')
      .filter((c) => c.ok && String(c.args.text ?? '').startsWith('Release handoff'));
    const delays: number[] = [];
    for (const release of releases) {
      const mine = handoffs().filter((m) => m.text.includes(`${release!.service} v1.0.0`));
      expect(mine, release!.service).toHaveLength(1);
      const call = handoffCalls.find((c) => String(c.args.text).includes(`${release!.service} v1.0.0`))!;
      delays.push(call.at - Date.parse(release!.endedAt!));
    }
    expect(p95(delays)).toBeLessThan(30_000);

    // Each card once; each thread line once, in the order the release said them.
    const cards = r.cards('CRELEASES').filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
    for (const release of releases) {
      const card = cards.filter((m) => JSON.stringify(m.blocks ?? []).includes(release!.id));
      expect(card, release!.service).toHaveLength(1);
      const lines = r.ws.store
        .replies('CRELEASES', card[0]!.ts)
        .filter((m) => m.ts !== card[0]!.ts)
        .flatMap((m) => messageText(m).split('\n'));
      expect(new Set(lines).size, `${release!.service}: ${lines.join(' | ')}`).toBe(lines.length);
      const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
      const order = [
        at(/started the release of/),
        at(/Stage 1\/3 started/),
        at(/Stage 1\/3 done/),
        at(/Stage 2\/3 started/),
        at(/Stage 2\/3 done/),
        at(/Stage 3\/3 started/),
        at(/Stage 3\/3 done/),
        at(/is live in production/),
      ];
      expect(
        order.every((i) => i >= 0),
        `${release!.service}: ${lines.join(' | ')}`,
      ).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    }

    // Slack rarely had to say slow down.
    const calls = r.ws.calls();
    const limited = calls.filter((c) => c.error === 'ratelimited').length;
    expect(limited / calls.length).toBeLessThan(0.05);
    // Acks stayed well within Slack's 3 s (wide margin: the machine is shared).
    console.info(
      `scale: ${calls.length} calls, ${limited} 429s, handoff p95 ${p95(delays)} ms, acks ${acks.map(Math.round).join(' ')} ms`,
    );
    expect(acks.length).toBeGreaterThan(5);
    expect(p95(acks)).toBeLessThan(2500);
  }, 400_000);
});
