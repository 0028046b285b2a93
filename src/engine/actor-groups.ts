// Which of the runbook's user groups (S…) the actor is in, for the approver and operator checks. A
// group Slack will not list (usergroups.users.list fails: the app lacks usergroups:read, the id is
// mistyped, Slack is down) counts as not joined, and is named in the refusal: a click must never go
// unanswered because a lookup threw, and the requester or a directly listed user is not held up.
import type { Release, ReleaseEvent } from '../release/types.ts';
import type { EngineKit, Refused } from './types.ts';
import { person } from '../release/person.ts';

export interface ActorGroups {
  groups: string[];
  /** Groups whose members could not be read. */
  unreadable: string[];
}

/** The groups among `groups` that `user` is in, asked one at a time so one failure spoils none else. */
export async function memberGroups(
  kit: EngineKit,
  user: string,
  groups: readonly string[],
): Promise<ActorGroups> {
  const found: ActorGroups = { groups: [], unreadable: [] };
  if (!kit.groups) return found;
  for (const group of groups) {
    try {
      found.groups.push(...(await kit.groups(user, [group])));
    } catch (error) {
      kit.log.warn({ err: error, group, user }, 'cannot read the members of a user group');
      found.unreadable.push(group);
    }
  }
  return found;
}

/** The event with its actor's groups filled in, so the machine can check approvers and operators. */
export async function withGroups<E extends ReleaseEvent>(
  kit: EngineKit,
  release: Release,
  event: E,
): Promise<{ event: E; unreadable: string[] }> {
  if (!('actor' in event) || !kit.groups) return { event, unreadable: [] };
  const { approvers, operators } = release.plan.approvals;
  const groups = [...new Set([...approvers, ...operators])].filter((id) => id.startsWith('S'));
  if (groups.length === 0) return { event, unreadable: [] };
  const found = await memberGroups(kit, event.actor.user, groups);
  return {
    event: { ...event, actor: { ...event.actor, groups: found.groups } },
    unreadable: found.unreadable,
  };
}

/** A "you may not" reason, with the groups that could not be checked when there were any. */
export function withUnreadable(reason: string, unreadable: readonly string[]): string {
  if (unreadable.length === 0) return reason;
  const list = unreadable.map(person).join(', ');
  return `${reason} Runway could not read the members of ${list} from Slack, so membership there was not counted; if you are in it, ask whoever runs Runway to check the app's usergroups:read scope and the group id in the runbook.`;
}

/** `withUnreadable` on a permission refusal; other refusals are left as they are. */
export function explainRefusal(result: Refused, unreadable: readonly string[]): Refused {
  return result.code === 'not_allowed'
    ? { ...result, reason: withUnreadable(result.reason, unreadable) }
    : result;
}
