// Who joins an incident channel: user groups (S…) expanded with usergroups.users.list, then one
// conversations.invite with `force`, so people already there (or gone) do not stop the others.
import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from '../slack/slack-errors.ts';

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
export async function inviteUsers(
  client: WebClient,
  channel: string,
  users: readonly string[],
): Promise<string[]> {
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
