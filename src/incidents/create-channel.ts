// Creates the incident channel: `inc-YYYYMMDD-<slug>`, then `-2`, `-3`, … while Slack answers
// `name_taken` (or Runway already has an incident of that name). Slack's channel namespace is the
// arbiter: two declarations racing for one name cannot both get it.
import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from './slack-errors.ts';

const MAX_ATTEMPTS = 50;

export async function createIncidentChannel(
  client: WebClient,
  nameFor: (attempt: number) => string,
  isKnown: (name: string) => Promise<boolean>,
): Promise<{ id: string; name: string }> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const name = nameFor(attempt);
    if (await isKnown(name)) continue;
    try {
      const created = await client.conversations.create({ name });
      const id = created.channel?.id;
      if (!id) throw new Error('conversations.create returned no channel id');
      return { id, name: created.channel?.name ?? name };
    } catch (error) {
      if (slackErrorCode(error) === 'name_taken') continue;
      throw error;
    }
  }
  throw new Error(`no free incident channel name after ${MAX_ATTEMPTS} tries (last: ${nameFor(MAX_ATTEMPTS)})`);
}

/** User ids for a list of user (U…) and user-group (S…) ids; groups via usergroups.users.list. */
export async function expandUsers(client: WebClient, ids: readonly string[]): Promise<string[]> {
  const users = new Set<string>();
  for (const id of ids) {
    if (id.startsWith('S')) {
      const members = await client.usergroups.users.list({ usergroup: id });
      for (const user of members.users ?? []) users.add(user);
    } else {
      users.add(id);
    }
  }
  return [...users];
}

/** Invites whoever can be invited; people already there, or gone, are skipped (`force`). */
export async function inviteUsers(client: WebClient, channel: string, users: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(users)].filter((u) => /^[UW][A-Z0-9]+$/.test(u)).slice(0, 1000);
  if (wanted.length === 0) return [];
  try {
    const result = await client.conversations.invite({ channel, users: wanted.join(','), force: true });
    const problems = (result as { errors?: { user?: string; error?: string }[] }).errors ?? [];
    return problems.map((p) => `${p.user ?? '?'}: ${p.error ?? '?'}`);
  } catch (error) {
    const code = slackErrorCode(error);
    // One invitee may be the declarer who created nothing, or the bot itself: not worth failing for.
    if (code === 'already_in_channel' || code === 'cant_invite_self') return [code];
    throw error;
  }
}
