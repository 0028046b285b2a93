// auth.test, users.*, usergroups.*: who the bot is, who the people are, which groups they form.
import { userGroupObject, userObject } from './api-shapes.ts';
import { bool, str } from './args.ts';
import { fail, ok, type Method } from './method-kit.ts';
import { paginate } from './paging.ts';

const authTest: Method = (ctx) =>
  ok({
    url: `${ctx.baseUrl}/`,
    team: ctx.store.team.name,
    user: ctx.store.bot.name,
    team_id: ctx.store.team.id,
    user_id: ctx.store.bot.user_id,
    bot_id: ctx.store.bot.bot_id,
    app_id: ctx.store.bot.app_id,
    is_enterprise_install: false,
  });

const usersInfo: Method = (ctx) => {
  const user = ctx.store.user(str(ctx.args, 'user') ?? '');
  return user ? ok({ user: userObject(user) }) : fail('user_not_found');
};

const usersList: Method = (ctx) => {
  const page = paginate(ctx.store.users(), (u) => u.id, ctx.args, {
    defaultLimit: 200,
    maxPageSize: ctx.maxPageSize,
  });
  return ok({
    members: page.items.map(userObject),
    cache_ts: Math.floor(ctx.store.now() / 1000),
    response_metadata: { next_cursor: page.next_cursor },
  });
};

const userGroupsList: Method = (ctx) => {
  const includeUsers = bool(ctx.args, 'include_users');
  return ok({ usergroups: ctx.store.userGroups().map((g) => userGroupObject(g, includeUsers)) });
};

const userGroupUsers: Method = (ctx) => {
  const group = ctx.store.userGroup(str(ctx.args, 'usergroup') ?? '');
  return group ? ok({ users: [...group.users] }) : fail('no_such_subteam');
};

export const directoryMethods: Record<string, Method> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'users.list': usersList,
  'usergroups.list': userGroupsList,
  'usergroups.users.list': userGroupUsers,
};
