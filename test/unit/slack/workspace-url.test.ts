// Links to messages point at the workspace the bot is in: auth.test's url, asked once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import { startFakeSlackWithClient, webClientFor, type FakeSlack } from '../../helpers/fake-slack.ts';
import { linkBase } from '../../../src/slack/workspace-url.ts';
import { cardLink, relink } from '../../../src/slack/views/format.ts';

let slack: FakeSlack;
let client: WebClient;
beforeEach(async () => ({ slack, client } = await startFakeSlackWithClient()));
afterEach(() => slack.close());

describe('linkBase', () => {
  it("is the workspace's url without its slash, asked once per client", async () => {
    expect(await linkBase(client)).toBe(slack.url);
    expect(await linkBase(client)).toBe(slack.url);
    expect(slack.calls('auth.test')).toHaveLength(1);
  });

  it('falls back to slack.com (which redirects) when auth.test fails, and asks again later', async () => {
    const wrong = webClientFor(slack, {}, 'xoxb-wrong');
    expect(await linkBase(wrong)).toBe('https://slack.com');
    expect(await linkBase(wrong)).toBe('https://slack.com');
    expect(slack.calls('auth.test')).toHaveLength(2);
  });

  it("makes a card's link and the engine's refusal links open in that workspace", () => {
    const release = { card: { channel: 'CRELEASES', ts: '1732350000.000100' } };
    expect(cardLink(release as never, 'http://localhost:3000')).toBe(
      '<http://localhost:3000/archives/CRELEASES/p1732350000000100|card>',
    );
    expect(
      relink(
        'v1.3.0 is being released — https://slack.com/archives/CRELEASES/p1732350000000100',
        'http://localhost:3000/',
      ),
    ).toBe('v1.3.0 is being released — http://localhost:3000/archives/CRELEASES/p1732350000000100');
  });
});
