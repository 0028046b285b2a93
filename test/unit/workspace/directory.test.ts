import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import {
  webClientFor,
  expectSlackError,
  startFakeSlackWithClient,
  type FakeSlack,
} from '../../helpers/fake-slack.ts';

let slack: FakeSlack;
let client: WebClient;
beforeEach(async () => ({ slack, client } = await startFakeSlackWithClient()));
afterEach(() => slack.close());

describe('auth.test', () => {
  it('names the bot the way Bolt reads it at start-up', async () => {
    expect(await client.auth.test()).toMatchObject({
      ok: true,
      url: `${slack.url}/`,
      team: 'Runway Sandbox',
      team_id: 'T0RUNWAY1',
      user: 'runway',
      user_id: 'UBOT',
      bot_id: 'B0RUNWAY1',
      is_enterprise_install: false,
    });
  });

  it('answers not_authed without a token and invalid_auth with a wrong one', async () => {
    await expectSlackError(webClientFor(slack, {}, '').auth.test(), 'not_authed');
    await expectSlackError(webClientFor(slack, {}, 'xoxb-wrong').auth.test(), 'invalid_auth');
    expect(slack.calls('auth.test').map((c) => c.error ?? 'ok')).toEqual(['not_authed', 'invalid_auth']);
  });

  it('answers unknown_method for a method it does not serve', async () => {
    await expectSlackError(client.apiCall('reactions.add', { channel: 'CRELEASES' }), 'unknown_method');
  });
});

describe('users and user groups', () => {
  it('describes the seeded people', async () => {
    const alice = await client.users.info({ user: 'UALICE' });
    expect(alice.user).toMatchObject({
      id: 'UALICE',
      name: 'alice',
      real_name: 'Alice Anders',
      is_bot: false,
    });
    expect(alice.user?.profile).toMatchObject({ real_name: 'Alice Anders', display_name: 'alice' });
    const list = await client.users.list({});
    expect(list.members?.map((m) => m.id)).toEqual(['UALICE', 'UBOB', 'UCAROL', 'UBOT']);
    await expectSlackError(client.users.info({ user: 'UNOBODY' }), 'user_not_found');
  });

  it('resolves a user group to its members', async () => {
    expect((await client.usergroups.users.list({ usergroup: 'S0SRETEAM' })).users).toEqual([
      'UBOB',
      'UCAROL',
    ]);
    await expectSlackError(client.usergroups.users.list({ usergroup: 'S0NOPE' }), 'no_such_subteam');
    slack.store.addUserGroup({ id: 'S0RELEASE', handle: 'release-managers', users: ['UALICE'] });
    const groups = await client.usergroups.list({ include_users: true });
    expect(groups.usergroups?.map((g) => [g.id, g.handle, g.users])).toEqual([
      ['S0SRETEAM', 'sre', ['UBOB', 'UCAROL']],
      ['S0RELEASE', 'release-managers', ['UALICE']],
    ]);
  });
});
