import { afterEach, describe, expect, it } from 'vitest';
import {
  webClientFor,
  expectSlackError,
  startFakeSlackWithClient,
  type FakeSlack,
} from '../../helpers/fake-slack.ts';

let slack: FakeSlack | undefined;
afterEach(() => slack?.close());

async function workspace(options: { maxPageSize?: number } = {}) {
  const started = await startFakeSlackWithClient(options);
  slack = started.slack;
  return started;
}

describe('conversations.list', () => {
  it('lists the seeded public channels with Slack’s channel fields', async () => {
    const { client } = await workspace();
    const list = await client.conversations.list();
    expect(list.channels?.map((c) => c.name)).toEqual(['releases', 'on-call', 'incidents']);
    expect(list.channels?.[0]).toMatchObject({
      id: 'CRELEASES',
      name: 'releases',
      is_channel: true,
      is_private: false,
      is_archived: false,
      is_member: true,
      created: expect.any(Number),
    });
    expect(list.response_metadata?.next_cursor).toBe('');
  });

  it('pages with real cursors, also through WebClient.paginate', async () => {
    const { slack, client } = await workspace({ maxPageSize: 2 });
    for (let i = 0; i < 4; i++)
      slack.store.createChannel({ name: `inc-2024112${i}-checkout`, creator: 'UALICE' });

    const first = await client.conversations.list({ limit: 200 });
    expect(first.channels?.map((c) => c.name)).toEqual(['releases', 'on-call']);
    expect(first.response_metadata?.next_cursor).not.toBe('');
    const second = await client.conversations.list({
      limit: 200,
      cursor: first.response_metadata?.next_cursor ?? '',
    });
    expect(second.channels?.map((c) => c.name)).toEqual(['incidents', 'inc-20241120-checkout']);

    const names: string[] = [];
    for await (const page of client.paginate('conversations.list', { limit: 2 })) {
      const channels = (page as { channels?: { name: string }[] }).channels ?? [];
      names.push(...channels.map((c) => c.name));
    }
    expect(names).toHaveLength(7);
    expect(new Set(names).size).toBe(7);
    await expectSlackError(client.conversations.list({ cursor: 'bm90LWEtY3Vyc29y' }), 'invalid_cursor');
  });

  it('shows private channels only when asked and only those the bot is in', async () => {
    const { slack, client } = await workspace();
    slack.store.createChannel({ name: 'secret-hidden', is_private: true, creator: 'UALICE' });
    slack.store.createChannel({
      name: 'secret-shared',
      is_private: true,
      creator: 'UALICE',
      members: ['UBOT'],
    });
    const publicOnly = await client.conversations.list();
    expect(publicOnly.channels?.some((c) => c.is_private)).toBe(false);
    const both = await client.conversations.list({ types: 'public_channel,private_channel' });
    expect(both.channels?.filter((c) => c.is_private).map((c) => c.name)).toEqual(['secret-shared']);
  });
});

describe('conversations.create, info, join, invite, members', () => {
  it('creates a channel the bot is in, and refuses a taken name', async () => {
    const { slack, client } = await workspace();
    const created = await client.conversations.create({ name: 'inc-20241123-checkout-errors' });
    expect(created.channel).toMatchObject({
      name: 'inc-20241123-checkout-errors',
      is_private: false,
      is_member: true,
    });
    expect(created.channel?.id).toMatch(/^C[A-Z0-9]+$/);
    expect(slack.store.channel(created.channel?.id ?? '')?.members).toEqual(['UBOT']);
    await expectSlackError(
      client.conversations.create({ name: 'inc-20241123-checkout-errors' }),
      'name_taken',
    );
    await expectSlackError(client.conversations.create({ name: 'releases' }), 'name_taken');
  });

  it('validates names like Slack', async () => {
    const { client } = await workspace();
    await expectSlackError(client.conversations.create({ name: 'Incident' }), 'invalid_name_specials');
    await expectSlackError(client.conversations.create({ name: 'inc 1' }), 'invalid_name_specials');
    await expectSlackError(client.conversations.create({ name: 'x'.repeat(81) }), 'invalid_name_maxlength');
    await expectSlackError(client.conversations.create({ name: '---' }), 'invalid_name_punctuation');
    await expectSlackError(client.conversations.create({ name: '' }), 'invalid_name_required');
    expect((await client.conversations.create({ name: 'x'.repeat(80) })).ok).toBe(true);
  });

  it('answers info for visible channels only', async () => {
    const { slack, client } = await workspace();
    const info = await client.conversations.info({ channel: 'CINCIDENTS', include_num_members: true });
    expect(info.channel).toMatchObject({ id: 'CINCIDENTS', name: 'incidents', num_members: 4 });
    const hidden = slack.store.createChannel({ name: 'hidden', is_private: true, creator: 'UALICE' });
    await expectSlackError(client.conversations.info({ channel: hidden.id }), 'channel_not_found');
    await expectSlackError(client.conversations.info({ channel: 'CNOPE' }), 'channel_not_found');
  });

  it('joins public channels, warns when already in, refuses private ones', async () => {
    const { slack, client } = await workspace();
    const lobby = slack.store.createChannel({ name: 'lobby', creator: 'UALICE' });
    const joined = await client.conversations.join({ channel: lobby.id });
    expect(joined.channel).toMatchObject({ id: lobby.id, is_member: true });
    expect(joined.warning).toBeUndefined();
    const again = await client.conversations.join({ channel: lobby.id });
    expect(again.warning).toBe('already_in_channel');
    const hidden = slack.store.createChannel({ name: 'hidden', is_private: true, creator: 'UALICE' });
    await expectSlackError(
      client.conversations.join({ channel: hidden.id }),
      'method_not_supported_for_channel_type',
    );
  });

  it('invites people all or nothing, as Slack does without force', async () => {
    const { slack, client } = await workspace();
    const room = await client.conversations.create({ name: 'inc-1' });
    const id = room.channel?.id ?? '';
    const invited = await client.conversations.invite({ channel: id, users: 'UALICE,UBOB' });
    expect(invited.channel?.id).toBe(id);
    expect(slack.store.channel(id)?.members).toEqual(['UBOT', 'UALICE', 'UBOB']);

    const data = await expectSlackError(
      client.conversations.invite({ channel: id, users: 'UCAROL,UBOB' }),
      'already_in_channel',
    );
    expect(data.errors).toEqual([{ user: 'UBOB', ok: false, error: 'already_in_channel' }]);
    expect(slack.store.isMember(id, 'UCAROL')).toBe(false);

    await expectSlackError(client.conversations.invite({ channel: id, users: 'UBOT' }), 'cant_invite_self');
    await expectSlackError(client.conversations.invite({ channel: id, users: 'UNOBODY' }), 'user_not_found');
    const forced = await client.conversations.invite({ channel: id, users: 'UCAROL,UBOB', force: true });
    expect(forced.ok).toBe(true);
    expect(slack.store.isMember(id, 'UCAROL')).toBe(true);

    const members = await client.conversations.members({ channel: id });
    expect(members.members).toEqual(['UBOT', 'UALICE', 'UBOB', 'UCAROL']);
  });

  it('refuses to invite into a channel the bot is not in', async () => {
    const { slack, client } = await workspace();
    const lobby = slack.store.createChannel({ name: 'lobby', creator: 'UALICE' });
    await expectSlackError(
      client.conversations.invite({ channel: lobby.id, users: 'UBOB' }),
      'not_in_channel',
    );
  });

  it('announces new channels and joins on the change feed', async () => {
    const { slack, client } = await workspace();
    const events: string[] = [];
    slack.store.onChange((e) => events.push(e.type));
    const room = await client.conversations.create({ name: 'inc-2' });
    await client.conversations.invite({ channel: room.channel?.id ?? '', users: 'UALICE' });
    expect(events).toEqual(['channel_created', 'member_joined', 'member_joined']);
  });
});

describe('conversations.history and replies', () => {
  it('reads the channel newest first with paging and time bounds', async () => {
    const { client } = await workspace({ maxPageSize: 2 });
    const posted: string[] = [];
    for (let i = 0; i < 5; i++)
      posted.push((await client.chat.postMessage({ channel: 'CRELEASES', text: `m${i}` })).ts ?? '');
    const first = await client.conversations.history({ channel: 'CRELEASES' });
    expect(first.messages?.map((m) => m.text)).toEqual(['m4', 'm3']);
    expect(first.has_more).toBe(true);
    const second = await client.conversations.history({
      channel: 'CRELEASES',
      cursor: first.response_metadata?.next_cursor ?? '',
    });
    expect(second.messages?.map((m) => m.text)).toEqual(['m2', 'm1']);

    const bounded = await client.conversations.history({
      channel: 'CRELEASES',
      oldest: posted[1],
      latest: posted[4],
      inclusive: true,
    });
    expect(bounded.messages?.map((m) => m.text)).toEqual(['m4', 'm3']);
    const exclusive = await client.conversations.history({
      channel: 'CRELEASES',
      oldest: posted[2],
      latest: posted[4],
    });
    expect(exclusive.messages?.map((m) => m.text)).toEqual(['m3']);
  });

  it('answers thread_not_found for an unknown thread', async () => {
    const { client } = await workspace();
    await expectSlackError(
      client.conversations.replies({ channel: 'CRELEASES', ts: '1732350000.000100' }),
      'thread_not_found',
    );
  });

  it('is what a second client sees too (one workspace, many clients)', async () => {
    const { slack, client } = await workspace();
    await client.chat.postMessage({ channel: 'CRELEASES', text: 'shared' });
    const other = webClientFor(slack);
    const history = await other.conversations.history({ channel: 'CRELEASES' });
    expect(history.messages?.map((m) => m.text)).toEqual(['shared']);
  });
});

describe('conversations.setTopic', () => {
  it('sets the topic of a channel the bot is in, up to 250 characters', async () => {
    const { client, slack } = await workspace();
    const answer = await client.conversations.setTopic({ channel: 'CRELEASES', topic: 'Release cards' });
    expect(answer).toMatchObject({
      ok: true,
      channel: { id: 'CRELEASES', topic: { value: 'Release cards' } },
    });
    expect(slack.store.channel('CRELEASES')?.topic).toBe('Release cards');
    await expectSlackError(
      client.conversations.setTopic({ channel: 'CRELEASES', topic: 'x'.repeat(251) }),
      'too_long',
    );
    await expectSlackError(
      client.conversations.setTopic({ channel: 'CNOPE', topic: 't' }),
      'channel_not_found',
    );
  });
});
