// Acknowledgement time of concurrent signed `/release status` requests against Runway's Bolt app,
// and against a bare Bolt app answering the same command, in the same run on loopback; then the
// number of Slack Web API calls one full six-stage release makes.
//
//   node bin/run-ts.js bench/ack-latency.ts [--requests 200] [--rounds 5]
import { App, ExpressReceiver } from '@slack/bolt';
import type { Server } from 'node:http';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startRedis } from '../test/helpers/redis.ts';
import { BOT_TOKEN, SIGNING_SECRET, startSlackRunway } from '../test/helpers/slack-runway.ts';
import { waitFor } from '../test/helpers/runway.ts';
import { slashCommandFields } from '../src/sandbox/workspace/payloads.ts';
import { signRequest } from '../src/sandbox/workspace/signing.ts';
import { intFlags, isMain, onCleanup, runBench } from './lib.ts';

const RECORD = resolve('test/fixtures/record-action.mjs');

function runbook(prometheusUrl: string): string {
  const cmd = (...w: string[]) => JSON.stringify(['node', RECORD, '/dev/null', ...w]);
  return `
version: 1
channels: { releases: "#releases", on_call: "#on-call" }
services:
  checkout:
    previous_version: v1.2.2
    approvals: { required: 2, approvers: [S0SRETEAM] }
    actions:
      deploy: { command: ${cmd('deploy')} }
      traffic: { command: ${cmd('traffic', '{{percent}}')} }
      smoke: { command: ${cmd('smoke')} }
      rollback: { command: ${cmd('rollback')} }
    gates:
      error_rate: { prometheus: { url: "${prometheusUrl}", query: "errors" }, max: 0.01, every: 250ms }
    stages:
      - deploy
      - { traffic: 10, hold: 2s, gates: [error_rate] }
      - { traffic: 50, hold: 2s, gates: [error_rate] }
      - { approval: "Promote to 100%?" }
      - { traffic: 100 }
      - smoke
`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * Fire `n` signed slash commands at once from a separate process (bench/ack-client.ts); the latency
 * of each is send → HTTP response, which is the ack.
 */
async function burst(url: string, n: number, fields: () => Record<string, string>): Promise<number[]> {
  const requests = Array.from({ length: n }, () => {
    const body = new URLSearchParams(fields()).toString();
    return {
      body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...signRequest(SIGNING_SECRET, body) },
    };
  });
  const child = spawn(process.execPath, [resolve('bin/run-ts.js'), 'bench/ack-client.ts'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stdin.end(JSON.stringify({ url, requests }));
  const code = await new Promise<number | null>((ok) => child.once('exit', ok));
  if (code !== 0) throw new Error(`ack client exited ${code}`);
  return JSON.parse(out) as number[];
}

async function bareBolt(apiUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const receiver = new ExpressReceiver({ signingSecret: SIGNING_SECRET, endpoints: '/slack/events' });
  const app = new App({ token: BOT_TOKEN, receiver, clientOptions: { slackApiUrl: apiUrl } });
  app.command('/release', async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', text: 'No active releases.' });
  });
  const server = (await receiver.start(0)) as Server;
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/slack/events`, close: () => receiver.stop() };
}

export async function ackLatency(opts: { requests: number; rounds: number }) {
  const redis = await startRedis();
  onCleanup(() => redis.stop());
  const prometheus = await import('node:http').then(
    ({ createServer }) =>
      new Promise<{ url: string; close(): void }>((ok) => {
        const s = createServer((_req, res) => {
          res.setHeader('Content-Type', 'application/json');
          res.end(
            JSON.stringify({
              status: 'success',
              data: { resultType: 'scalar', result: [Date.now() / 1000, '0.001'] },
            }),
          );
        });
        s.listen(0, '127.0.0.1', () =>
          ok({ url: `http://127.0.0.1:${(s.address() as { port: number }).port}`, close: () => s.close() }),
        );
      }),
  );
  onCleanup(async () => prometheus.close());
  const runway = await startSlackRunway(redis.url, runbook(prometheus.url));
  onCleanup(() => runway.close());
  const bare = await bareBolt(runway.ws.apiUrl);
  onCleanup(() => bare.close());

  const store = runway.ws.store;
  const channel = store.resolveChannel('CRELEASES')!;
  const user = store.user('UBOB')!;
  // Real response URLs from the workspace, as Slack issues one per command.
  const fields = () =>
    slashCommandFields(
      {
        team: store.team,
        apiAppId: store.bot.app_id,
        verificationToken: 'verification-token',
        botUserId: store.bot.user_id,
      },
      {
        user,
        channel,
        command: '/release',
        text: 'status',
        responseUrl: `${runway.ws.url}/response/${store.interactions.issueResponseUrl({ channel: channel.id, user: user.id, isEphemeral: false })}`,
        triggerId: store.interactions.issueTrigger(user.id),
      },
    );

  // Warm both up (JIT, connection pools), then alternate rounds so both see the same machine state.
  await burst(runway.appUrl, 20, fields);
  await burst(bare.url, 20, fields);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    ours.push(...(await burst(runway.appUrl, opts.requests, fields)));
    theirs.push(...(await burst(bare.url, opts.requests, fields)));
  }
  ours.sort((a, b) => a - b);
  theirs.sort((a, b) => a - b);
  const row = (name: string, t: number[]) =>
    `${name.padEnd(12)} p50 ${percentile(t, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(t, 99).toFixed(1).padStart(7)} ms   max ${t[t.length - 1]!.toFixed(1).padStart(7)} ms`;
  console.log(
    `\n/release status, ${opts.requests} concurrent signed requests × ${opts.rounds} rounds on loopback`,
  );
  console.log(row('runway', ours));
  console.log(row('bare bolt', theirs));
  console.log(
    `ratio        p50 ${(percentile(ours, 50) / percentile(theirs, 50)).toFixed(2)}   p99 ${(percentile(ours, 99) / percentile(theirs, 99)).toFixed(2)}`,
  );

  // One full six-stage release through Slack: count the Web API calls it makes.
  const before = runway.ws.calls().length;
  await runway.ws.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3 Six stages');
  const card = await runway.card('CRELEASES');
  const id = /"value":"(checkout-[a-z0-9-]+)"/.exec(JSON.stringify(card.blocks))?.[1] ?? '';
  await runway.ws.click('UBOB', store.message(card.channel, card.ts)!, 'release_approve');
  await waitFor('bob', async () => (await runway.runtime.store.get(id))?.approvals.length === 1);
  await runway.ws.click('UCAROL', store.message(card.channel, card.ts)!, 'release_approve');
  await waitFor(
    'the approval stage',
    async () => (await runway.runtime.store.get(id))?.stages[3]?.phase === 'approval',
    60_000,
  );
  await waitFor('the promote button', async () =>
    JSON.stringify(store.message(card.channel, card.ts)?.blocks).includes('release_promote'),
  );
  await runway.ws.click('UBOB', store.message(card.channel, card.ts)!, 'release_promote');
  await waitFor(
    'completion',
    async () => (await runway.runtime.store.get(id))?.state === 'completed',
    60_000,
  );
  await new Promise((r) => setTimeout(r, 2500)); // let the last coalesced card edit and thread replies land
  const calls = runway.ws.calls().slice(before);
  const byMethod = new Map<string, number>();
  for (const c of calls) byMethod.set(c.method, (byMethod.get(c.method) ?? 0) + 1);
  const release = await runway.runtime.store.get(id);
  const samples = Object.values(release?.gates ?? {}).reduce((n, g) => n + g.samples, 0);
  console.log(
    `\nSlack Web API calls for one six-stage release (gates sampled every 250 ms, ${samples} samples in the last stage):`,
  );
  for (const [method, n] of [...byMethod].sort((a, b) => b[1] - a[1]))
    console.log(`  ${method.padEnd(24)} ${n}`);
  console.log(`  ${'total'.padEnd(24)} ${calls.length}`);
  return { ours, theirs, calls: calls.length };
}

if (isMain(import.meta.url)) {
  const opts = intFlags(process.argv.slice(2), { requests: 200, rounds: 5 });
  await runBench(async () => {
    await ackLatency(opts);
  });
}
