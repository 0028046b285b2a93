// The default workspace: a requester, two approvers (the S0SRETEAM group of the example runbook), the bot,
// and the three channels the runbook names. Fixed ids keep tests and the sandbox readable.
import type { Channel, User, UserGroup } from './types.ts';

export interface Team {
  id: string;
  domain: string;
  name: string;
}

export interface BotIdentity {
  user_id: string;
  bot_id: string;
  app_id: string;
  name: string;
}

export interface WorkspaceSeed {
  team: Team;
  bot: BotIdentity;
  users: User[];
  groups: UserGroup[];
  channels: Channel[];
}

const TEAM: Team = { id: 'T0RUNWAY1', domain: 'runway-sandbox', name: 'Runway Sandbox' };
const BOT: BotIdentity = { user_id: 'UBOT', bot_id: 'B0RUNWAY1', app_id: 'A0RUNWAY1', name: 'runway' };
/** 2024-11-23T08:20:00Z, when the seeded channels were "created". */
const CREATED = 1732350000;

function user(id: string, name: string, realName: string, isBot = false): User {
  return { id, team_id: TEAM.id, name, real_name: realName, is_bot: isBot, tz: 'Europe/Paris' };
}

function channel(id: string, name: string, members: string[], purpose: string): Channel {
  return {
    id,
    name,
    is_private: false,
    is_archived: false,
    created: CREATED,
    creator: 'UALICE',
    members,
    topic: '',
    purpose,
  };
}

export function defaultSeed(): WorkspaceSeed {
  const everyone = ['UALICE', 'UBOB', 'UCAROL', BOT.user_id];
  return {
    team: { ...TEAM },
    bot: { ...BOT },
    users: [
      user('UALICE', 'alice', 'Alice Anders'),
      user('UBOB', 'bob', 'Bob Brown'),
      user('UCAROL', 'carol', 'Carol Chen'),
      user(BOT.user_id, BOT.name, 'Runway', true),
    ],
    groups: [{ id: 'S0SRETEAM', team_id: TEAM.id, handle: 'sre', name: 'SRE', users: ['UBOB', 'UCAROL'] }],
    channels: [
      channel('CRELEASES', 'releases', [...everyone], 'Release cards and their threads'),
      channel('CONCALL', 'on-call', [...everyone], 'Handoffs for whoever holds the pager'),
      channel('CINCIDENTS', 'incidents', [...everyone], 'Incident announcements'),
    ],
  };
}
