import { afterEach, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { useRedis } from '../../helpers/redis.ts';
import { waitFor } from '../../helpers/runway.ts';
import { startSlackRunway, type SlackRunway } from '../../helpers/slack-runway.ts';

const redis = useRedis();
const RECORD = resolve('test/fixtures/record-action.mjs');
const running: SlackRunway[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

function yaml(channels: string): string {
  return `
version: 1
${channels}
services:
  checkout:
    approvals: { required: 1 }
    actions:
      deploy: { command: ${JSON.stringify(['node', RECORD, '/dev/null', 'deploy'])} }
      rollback: { command: ${JSON.stringify(['node', RECORD, '/dev/null', 'rollback'])} }
    stages: [deploy]
`;
}

describe('where the card goes', () => {
  it('resolves a #name from the runbook and joins the public channel the bot is not in', async () => {
    const r = await startSlackRunway(redis.url, yaml('channels: { releases: "#deploys" }'));
    running.push(r);
    const deploys = r.ws.store.createChannel({
      name: 'deploys',
      creator: 'UALICE',
      members: ['UALICE', 'UBOB'],
    });
    expect(r.ws.store.isMember(deploys.id, r.ws.store.bot.user_id)).toBe(false);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start v1.0.0');
    const card = await r.card(deploys.id);
    expect(card.channel).toBe(deploys.id);
    expect(r.ws.calls('conversations.join').map((c) => c.args.channel)).toEqual([deploys.id]);
    expect(r.ws.store.history('CRELEASES')).toEqual([]);
  });

  it('takes a channel ID as it is', async () => {
    const r = await startSlackRunway(redis.url, yaml('channels: { releases: "CONCALL" }'));
    running.push(r);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start v1.0.0');
    await r.card('CONCALL');
  });

  it('posts the card where /release start was typed when no releases channel is configured', async () => {
    const r = await startSlackRunway(redis.url, yaml(''));
    running.push(r);
    await r.ws.slash('UALICE', 'CINCIDENTS', '/release', 'start v1.0.0');
    const card = await r.card('CINCIDENTS');
    expect(card.text).toContain('checkout');
    await waitFor('the thread', async () => r.ws.store.replies(card.channel, card.ts).length > 1);
  });

  it('lists channels once for several releases (cached)', async () => {
    const r = await startSlackRunway(redis.url, yaml('channels: { releases: "#releases" }'));
    running.push(r);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start v1.0.0 --dry-run');
    await r.card('CRELEASES');
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start v1.0.1 --dry-run');
    await waitFor('two cards', async () => r.cards('CRELEASES').length === 2);
    expect(r.ws.calls('conversations.list').length).toBe(1);
  });
});

describe('Slack faults', () => {
  it('retries Slack 5xx answers and loses nothing', async () => {
    const r = await startSlackRunway(redis.url, yaml('channels: { releases: "#releases" }'));
    running.push(r);
    r.ws.failNext('chat.postMessage', { status: 503 }, 2);
    await r.ws.slash('UALICE', 'CRELEASES', '/release', 'start v1.0.0 --dry-run');
    const card = await r.card('CRELEASES');
    await waitFor('the dry run in the thread', async () =>
      r.ws.store.replies(card.channel, card.ts).some((m) => m.text.includes('Dry run')),
    );
    expect(r.ws.calls('chat.postMessage').filter((c) => c.fault).length).toBe(2);
    expect(r.cards('CRELEASES')).toHaveLength(1);
  });
});
