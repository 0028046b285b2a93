// The App Home tab: active releases with their state and a link to each card.
import type { App } from '@slack/bolt';
import { homeView } from '../src/slack/views/home.ts';
import type { CommandDeps } from './deps.ts';

export function registerHome(app: App, deps: CommandDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const [active, recent, freezes] = await Promise.all([
      deps.engine.list(),
      deps.engine.history(undefined, 5),
      deps.engine.freezes(),
    ]);
    await client.views.publish({
      user_id: event.user,
      view: homeView({ active, recent, freezes, now: new Date() }),
    });
  });
}
