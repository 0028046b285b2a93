// The composition root wires every listener: each slash command manifest.yml declares reaches its
// handler through the real Bolt app (HTTP receiver, real signing) built by createRuntime, and answers
// its help. A command the app did not register would get no ack (Bolt answers 404 after 3 s).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { useRedis } from '../../helpers/redis.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';
import { loadTestRunbook, memoryLogger } from '../../helpers/runway.ts';
import { uniquePrefix } from '../../helpers/redis.ts';
import { createRuntime } from '../../../src/runtime.ts';
import { LogNotifier } from '../../../src/engine/notifier.ts';
import { SlackNotifier } from '../../../src/slack/notifier.ts';

const redis = useRedis();
const RUNBOOK = `
version: 1
channels: { releases: "#releases" }
services:
  checkout:
    actions: { deploy: { command: ["true"] }, rollback: { command: ["true"] } }
    stages: [deploy]
`;
let r: SlackRunway;

beforeAll(async () => {
  r = await startSlackRunway(redis.url, RUNBOOK, { workers: false });
});
afterAll(async () => {
  await r?.close();
});

const manifest = parse(readFileSync('manifest.yml', 'utf8')) as {
  features: { slash_commands: { command: string }[] };
};
const declared = manifest.features.slash_commands.map((c) => c.command);

describe('the composition root', () => {
  it('builds the Slack services before anything runs and hands the workers the Slack notifier', () => {
    expect(r.runtime.slack).not.toBeNull();
    expect(r.runtime.notifier).toBeInstanceOf(SlackNotifier);
    expect(r.runtime.notifier).toBe(r.runtime.slack?.notifier);
    expect(r.runtime.oncall).toBe(r.runtime.slack?.oncall);
  });

  it('without a Slack client: notifications go to the log, and there are no incident services', async () => {
    const book = loadTestRunbook(RUNBOOK);
    const runtime = createRuntime({
      redisUrl: redis.url,
      prefix: uniquePrefix(),
      runbook: () => book,
      log: memoryLogger().log,
    });
    try {
      expect(runtime.slack).toBeNull();
      expect(runtime.oncall).toBeNull();
      expect(runtime.notifier).toBeInstanceOf(LogNotifier);
    } finally {
      await runtime.close();
    }
  });

  it('declares at least the three commands', () => {
    expect(declared).toEqual(expect.arrayContaining(['/release', '/incident', '/handoff']));
  });

  it.each(declared)('registers %s on the running Bolt app, which acks it', async (command) => {
    const answer = await r.ws.slash('UALICE', 'CRELEASES', command, 'help');
    expect(answer.error).toBeUndefined();
    expect(answer.status).toBe(200);
    // Each command's help names the command (an ack with a body, not an empty 200 of a default handler).
    const said = [answer.body, ...r.ws.store.ephemerals('UALICE').map((e) => e.text)].join('\n');
    expect(said).toContain(command);
  });
});
