// Which of the runbook's user groups (S…) a user belongs to, from usergroups.users.list, cached for a
// few minutes so a burst of clicks costs one call per group.
import type { WebClient } from '@slack/web-api';
import type { GroupResolver } from '../engine/engine.ts';

const TTL_MS = 5 * 60_000;

export function createGroupResolver(client: WebClient, now: () => number = Date.now): GroupResolver {
  const cache = new Map<string, { users: Set<string>; at: number }>();
  const members = async (group: string): Promise<Set<string>> => {
    const hit = cache.get(group);
    if (hit && now() - hit.at < TTL_MS) return hit.users;
    const result = await client.usergroups.users.list({ usergroup: group });
    const users = new Set(result.users ?? []);
    cache.set(group, { users, at: now() });
    return users;
  };
  return async (user, groups) => {
    const found: string[] = [];
    for (const group of groups) {
      if ((await members(group)).has(user)) found.push(group);
    }
    return found;
  };
}
