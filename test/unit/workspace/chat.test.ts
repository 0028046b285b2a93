import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import { expectSlackError, startFakeSlackWithClient, type FakeSlack } from '../../helpers/fake-slack.ts';

const TS = /^\d{10}\.\d{6}$/;
const section = (text: string, blockId?: string) => ({
  type: 'section',
  text: { type: 'mrkdwn', text },
  ...(blockId ? { block_id: blockId } : {}),
});

let slack: FakeSlack;
let client: WebClient;
beforeEach(async () => ({ slack, client } = await startFakeSlackWithClient()));
afterEach(() => slack.close());

describe('chat.postMessage', () => {
  it('posts by channel id or #name and answers {channel, ts, message} like Slack', async () => {
    const byId = await client.chat.postMessage({
      channel: 'CRELEASES',
      text: 'hello',
      blocks: [section('*hello*')],
    });
    expect(byId).toMatchObject({ ok: true, channel: 'CRELEASES' });
    expect(byId.ts).toMatch(TS);
    expect(byId.message).toMatchObject({
      type: 'message',
      text: 'hello',
      user: 'UBOT',
      bot_id: 'B0RUNWAY1',
      app_id: 'A0RUNWAY1',
      ts: byId.ts,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*hello*' } }],
    });
    // Slack gives blocks without one a block_id; interactivity payloads carry it.
    expect(byId.message?.blocks?.[0]?.block_id).toEqual(expect.any(String));

    const byName = await client.chat.postMessage({ channel: '#on-call', text: 'by name' });
    expect(byName.channel).toBe('CONCALL');
    expect(slack.messages('CONCALL').map((m) => m.text)).toEqual(['by name']);
  });

  it('gives every message a unique, increasing ts', async () => {
    const posted = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.chat.postMessage({ channel: 'CRELEASES', text: `m${i}` })),
    );
    const stamps = slack.messages('CRELEASES').map((m) => m.ts);
    expect(new Set(stamps).size).toBe(20);
    expect([...stamps].sort()).toEqual(stamps);
    expect(posted.map((p) => p.ts).sort()).toEqual(stamps);
  });

  it('replies in a thread, counts replies on the root, and broadcasts when asked', async () => {
    const root = await client.chat.postMessage({ channel: 'CRELEASES', text: 'card' });
    const reply = await client.chat.postMessage({
      channel: 'CRELEASES',
      text: 'deploy started',
      thread_ts: root.ts,
    });
    expect(reply.message).toMatchObject({ thread_ts: root.ts, parent_user_id: 'UBOT' });
    await client.chat.postMessage({
      channel: 'CRELEASES',
      text: 'rolled back',
      thread_ts: root.ts ?? '',
      reply_broadcast: true,
    });

    expect(slack.thread('CRELEASES', root.ts ?? '').map((m) => m.text)).toEqual([
      'deploy started',
      'rolled back',
    ]);
    expect(slack.messages('CRELEASES').map((m) => m.text)).toEqual(['card', 'rolled back']);
    expect(slack.store.message('CRELEASES', root.ts ?? '')).toMatchObject({
      reply_count: 2,
      thread_ts: root.ts,
      latest_reply: slack.thread('CRELEASES', root.ts ?? '')[1]?.ts,
    });
    const replies = await client.conversations.replies({ channel: 'CRELEASES', ts: root.ts ?? '' });
    expect(replies.messages?.map((m) => m.text)).toEqual(['card', 'deploy started', 'rolled back']);
  });

  it('refuses what Slack refuses', async () => {
    await expectSlackError(client.chat.postMessage({ channel: 'CNOPE', text: 'x' }), 'channel_not_found');
    await expectSlackError(client.chat.postMessage({ channel: 'CRELEASES', text: '' }), 'no_text');
    await expectSlackError(
      client.chat.postMessage({ channel: 'CRELEASES', text: 'x'.repeat(40_001) }),
      'msg_too_long',
    );
    await expectSlackError(
      client.chat.postMessage({ channel: 'CRELEASES', text: 'x', thread_ts: '1732350000.999999' }),
      'thread_not_found',
    );
    const secret = slack.store.createChannel({ name: 'secret', is_private: true, creator: 'UALICE' });
    await expectSlackError(client.chat.postMessage({ channel: secret.id, text: 'x' }), 'not_in_channel');
    expect(slack.messages(secret.id)).toEqual([]);
  });

  it('refuses blocks beyond Block Kit limits with invalid_blocks and the offending json-pointers', async () => {
    const tooMany = Array.from({ length: 51 }, (_, i) => section(`s${i}`));
    const data = await expectSlackError(
      client.chat.postMessage({ channel: 'CRELEASES', text: 'x', blocks: tooMany }),
      'invalid_blocks',
    );
    expect(data.errors).toEqual(['no more than 50 items allowed [json-pointer:/blocks]']);

    const long = await expectSlackError(
      client.chat.postMessage({ channel: 'CRELEASES', text: 'x', blocks: [section('y'.repeat(3001))] }),
      'invalid_blocks',
    );
    expect(long.errors).toEqual(['must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);

    const duplicate = await expectSlackError(
      client.chat.postMessage({
        channel: 'CRELEASES',
        text: 'x',
        blocks: [section('a', 'b1'), section('b', 'b1')],
      }),
      'invalid_blocks',
    );
    expect(duplicate.errors).toEqual(['duplicate block_id b1 [json-pointer:/blocks/1/block_id]']);

    const button = {
      type: 'button',
      text: { type: 'plain_text', text: 'z'.repeat(76) },
      action_id: 'approve',
    };
    await expectSlackError(
      client.apiCall('chat.postMessage', {
        channel: 'CRELEASES',
        text: 'x',
        blocks: [{ type: 'actions', elements: [button] }],
      }),
      'invalid_blocks',
    );
    await expectSlackError(
      client.apiCall('chat.postMessage', { channel: 'CRELEASES', text: 'x', blocks: '[not json' }),
      'invalid_blocks_format',
    );
    expect(slack.messages('CRELEASES')).toEqual([]);
  });

  it('accepts a JSON body with nested blocks, as Slack does for write methods', async () => {
    const response = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${slack.botToken}`,
        'Content-Type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ channel: 'CRELEASES', text: 'json', blocks: [section('from json')] }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      ok: true,
      channel: 'CRELEASES',
      message: { text: 'json' },
    });
  });
});

describe('chat.update and chat.delete', () => {
  it('edits in place, marks the edit, keeps blocks unless given and drops them on []', async () => {
    const posted = await client.chat.postMessage({
      channel: 'CRELEASES',
      text: 'v1',
      blocks: [section('state: waiting')],
    });
    const ts = posted.ts ?? '';
    const updated = await client.chat.update({
      channel: 'CRELEASES',
      ts,
      text: 'v2',
      blocks: [section('state: deploying')],
    });
    expect(updated).toMatchObject({ ok: true, channel: 'CRELEASES', ts, text: 'v2' });
    const stored = slack.store.message('CRELEASES', ts);
    expect(stored?.edited).toEqual({ user: 'UBOT', ts: expect.stringMatching(TS) });
    expect(stored?.blocks?.[0]).toMatchObject(section('state: deploying'));

    await client.chat.update({ channel: 'CRELEASES', ts, text: 'v3' });
    expect(slack.store.message('CRELEASES', ts)?.blocks?.[0]).toMatchObject(section('state: deploying'));
    await client.chat.update({ channel: 'CRELEASES', ts, text: 'v4', blocks: [] });
    expect(slack.store.message('CRELEASES', ts)).toMatchObject({ text: 'v4' });
    expect(slack.store.message('CRELEASES', ts)?.blocks).toBeUndefined();
    expect(slack.messages('CRELEASES')).toHaveLength(1);
  });

  it('refuses unknown messages and messages the bot did not write', async () => {
    await expectSlackError(
      client.chat.update({ channel: 'CRELEASES', ts: '1732350000.000001', text: 'x' }),
      'message_not_found',
    );
    const human = slack.store.postMessage({ channel: 'CRELEASES', user: 'UALICE', text: 'mine' });
    await expectSlackError(
      client.chat.update({ channel: 'CRELEASES', ts: human.ts, text: 'x' }),
      'cant_update_message',
    );
    await expectSlackError(client.chat.delete({ channel: 'CRELEASES', ts: human.ts }), 'cant_delete_message');
  });

  it('deletes the bot’s message', async () => {
    const posted = await client.chat.postMessage({ channel: 'CRELEASES', text: 'bye' });
    expect(await client.chat.delete({ channel: 'CRELEASES', ts: posted.ts ?? '' })).toMatchObject({
      ok: true,
      ts: posted.ts,
    });
    expect(slack.messages('CRELEASES')).toEqual([]);
  });
});

describe('chat.postEphemeral and chat.getPermalink', () => {
  it('shows an ephemeral message to one member and answers message_ts', async () => {
    const answer = await client.chat.postEphemeral({ channel: 'CRELEASES', user: 'UBOB', text: 'only you' });
    expect(answer.message_ts).toMatch(TS);
    expect(slack.ephemerals('UBOB')).toEqual([
      expect.objectContaining({
        channel: 'CRELEASES',
        user: 'UBOB',
        text: 'only you',
        ts: answer.message_ts,
      }),
    ]);
    expect(slack.ephemerals('UALICE')).toEqual([]);
    expect(slack.messages('CRELEASES')).toEqual([]);
  });

  it('refuses unknown users and users outside the channel', async () => {
    await expectSlackError(
      client.chat.postEphemeral({ channel: 'CRELEASES', user: 'UNOBODY', text: 'x' }),
      'user_not_found',
    );
    const room = await client.conversations.create({ name: 'quiet-room' });
    await expectSlackError(
      client.chat.postEphemeral({ channel: room.channel?.id ?? '', user: 'UBOB', text: 'x' }),
      'user_not_in_channel',
    );
  });

  it('links to a message and to a thread reply', async () => {
    const root = await client.chat.postMessage({ channel: 'CRELEASES', text: 'card' });
    const reply = await client.chat.postMessage({ channel: 'CRELEASES', text: 'r', thread_ts: root.ts });
    const link = await client.chat.getPermalink({ channel: 'CRELEASES', message_ts: root.ts ?? '' });
    expect(link).toMatchObject({
      ok: true,
      channel: 'CRELEASES',
      permalink: `${slack.url}/archives/CRELEASES/p${root.ts?.replace('.', '')}`,
    });
    const replyLink = await client.chat.getPermalink({ channel: 'CRELEASES', message_ts: reply.ts ?? '' });
    expect(replyLink.permalink).toContain(`?thread_ts=${root.ts}&cid=CRELEASES`);
    await expectSlackError(
      client.chat.getPermalink({ channel: 'CRELEASES', message_ts: '1.000001' }),
      'message_not_found',
    );
  });
});
