// The workspace's people: users and user groups, seeded at start. Everything handed out is a copy.
import type { User, UserGroup } from './types.ts';

const copy = <T>(value: T): T => structuredClone(value);

export class PeopleStore {
  private readonly usersById = new Map<string, User>();
  private readonly groupsById = new Map<string, UserGroup>();

  constructor(
    private readonly teamId: string,
    seed: { users: readonly User[]; groups: readonly UserGroup[] },
  ) {
    for (const user of seed.users) this.usersById.set(user.id, copy(user));
    for (const group of seed.groups) this.groupsById.set(group.id, copy(group));
  }

  addUser(user: Pick<User, 'id' | 'name'> & Partial<User>): User {
    const full: User = {
      team_id: this.teamId,
      real_name: user.name,
      is_bot: false,
      tz: 'Europe/Paris',
      ...user,
    };
    this.usersById.set(full.id, full);
    return copy(full);
  }

  user(id: string): User | undefined {
    const found = this.usersById.get(id);
    return found && copy(found);
  }

  users(): User[] {
    return [...this.usersById.values()].map(copy);
  }

  /** A user by id, name or @name: what tests and the sandbox's user switcher have at hand. */
  resolveUser(idOrName: string): User | undefined {
    const name = idOrName.replace(/^@/, '');
    const found = this.usersById.get(name) ?? [...this.usersById.values()].find((u) => u.name === name);
    return found && copy(found);
  }

  addUserGroup(group: Pick<UserGroup, 'id' | 'handle' | 'users'> & Partial<UserGroup>): UserGroup {
    const full: UserGroup = { team_id: this.teamId, name: group.handle, ...group };
    this.groupsById.set(full.id, full);
    return copy(full);
  }

  userGroup(id: string): UserGroup | undefined {
    const found = this.groupsById.get(id);
    return found && copy(found);
  }

  userGroups(): UserGroup[] {
    return [...this.groupsById.values()].map(copy);
  }
}
