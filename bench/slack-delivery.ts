// Slack delivery under Slack's rate limits: N releases at once (deploy, 10% hold 30 s, 50% hold
// 15 s, 100%, smoke) against the workspace fake with its limits on, through the real Bolt app, real
// workers and a real Redis. Prints Web API calls per release, the share answered 429, the most
// chat.update calls in any minute, and how long after each release completed its last thread line
// and its handoff arrived. See bench/README.md.
//
//   node bin/run-ts.js bench/slack-delivery.ts --releases 24
import { intFlags, isMain, onCleanup, runBench, table, fmt, sleep } from './lib.ts';
import { startRedis } from '../test/helpers/redis.ts';
import { startSlackRunway } from '../test/helpers/slack-runway.ts';
import type { SlackDelivery } from '../src/slack/delivery/service.ts';

export interface DeliveryResult {
  releases: number;
  callsPerRelease: number;
  limitedShare: number;
  maxUpdatesPerMinute: number;
  lastLine: { p50: number; p95: number; max: number };
  handoff: { p50: number; p95: number; max: number };
  seconds: number;
}

function runbook(n: number): string {
  const names = Array.from({ length: n }, (_, i) => `  svc${i + 1}: {}`).join('\n');
  return `
version: 1
channels: { releases: "#releases", on_call: "#on-call", incidents: "#incidents" }
defaults:
  environment: production
  approvals: { required: 0 }
  actions:
    deploy: { command: ["true"] }
    traffic: { command: ["true"] }
    smoke: { command: ["true"] }
    rollback: { command: ["true"] }
  stages:
    - deploy
    - { traffic: 10, hold: 30s }
    - { traffic: 50, hold: 15s }
    - { traffic: 100 }
    - { run: smoke }
services:
${names}
`;
}

const tsMs = (ts: string): number => Math.round(Number(ts) * 1000);

function spread(xs: number[]): { p50: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.max(0, Math.ceil(s.length * q) - 1)] ?? 0;
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1] ?? 0 };
}

/** The most calls in any 60 s window. */
function maxPerMinute(times: number[]): number {
  const s = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < s.length; j++) {
    while (s[j]! - s[i]! >= 60_000) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

export async function slackDelivery(opts: { releases: number }): Promise<DeliveryResult> {
  const redis = await startRedis();
  onCleanup(() => redis.stop());
  const r = await startSlackRunway(redis.url, runbook(opts.releases), { rateLimits: true, tuning: {} });
  onCleanup(() => r.close());
  const started = Date.now();
  await Promise.all(
    Array.from({ length: opts.releases }, (_, i) =>
      r.ws.slash('UALICE', 'CRELEASES', '/release', `start svc${i + 1} v1.0.0`),
    ),
  );
  const delivery = r.runtime.slack?.delivery as SlackDelivery;
  const handoffs = () => r.ws.store.history('CONCALL').filter((m) => m.text.startsWith('Release handoff'));
  for (;;) {
    const done = (await r.runtime.store.history(undefined, 1000)).length;
    const idle = (await delivery.depths()).every((d) => d.depth === 0);
    if (done === opts.releases && idle && handoffs().length === opts.releases) break;
    if (Date.now() - started > 20 * 60_000) throw new Error('not finished after 20 minutes');
    await sleep(500);
  }
  await sleep(3000); // card edits still due
  const releases = await r.runtime.store.history(undefined, 1000);
  const cards = r.cards('CRELEASES');
  const lastLine: number[] = [];
  const handoff: number[] = [];
  for (const release of releases) {
    const ended = Date.parse(release.endedAt!);
    const card = cards.find((m) => JSON.stringify(m.blocks ?? []).includes(release.id));
    const replies = card ? r.ws.store.replies('CRELEASES', card.ts).filter((m) => m.ts !== card.ts) : [];
    const last = replies[replies.length - 1];
    if (last) lastLine.push(tsMs(last.ts) - ended);
    const h = handoffs().find((m) => m.text.includes(`${release.service} v1.0.0`));
    if (h) handoff.push(tsMs(h.ts) - ended);
  }
  const calls = r.ws.calls();
  return {
    releases: opts.releases,
    callsPerRelease: calls.length / opts.releases,
    limitedShare: calls.filter((c) => c.error === 'ratelimited').length / calls.length,
    maxUpdatesPerMinute: maxPerMinute(r.ws.calls('chat.update').map((c) => c.at)),
    lastLine: spread(lastLine),
    handoff: spread(handoff),
    seconds: (Date.now() - started) / 1000,
  };
}

export function printDelivery(x: DeliveryResult): void {
  const s = (v: { p50: number; p95: number; max: number }) =>
    `p50 ${fmt(v.p50 / 1000, 1)} s, p95 ${fmt(v.p95 / 1000, 1)} s, max ${fmt(v.max / 1000, 1)} s`;
  console.log(`\nslack-delivery: ${x.releases} releases at once, Slack's limits on (${fmt(x.seconds)} s)\n`);
  console.log(
    table([
      ['Web API calls per release', fmt(x.callsPerRelease, 1)],
      ['answered 429', `${fmt(x.limitedShare * 100, 1)}%`],
      ['max chat.update in a minute', fmt(x.maxUpdatesPerMinute)],
      ['completion → last thread line', s(x.lastLine)],
      ['completion → handoff', s(x.handoff)],
    ]),
  );
}

if (isMain(import.meta.url)) {
  const flags = intFlags(process.argv.slice(2), { releases: 24 });
  await runBench(async () => printDelivery(await slackDelivery(flags)));
}
