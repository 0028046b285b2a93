// The App Home tab: active releases with their state and a link to each card.
import type { App } from '@slack/bolt';
import { homeView } from '../src/slack/views/home.ts';
import type { CommandDeps } from './deps.ts';
import { statsHomeBlocks } from '../src/slack/views/stats.ts';

export function registerHome(app: App, deps: CommandDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const [active, recent, freezes, delivery] = await Promise.all([
      deps.engine.list(),
      deps.engine.history(undefined, 5),
      deps.engine.freezes(),
      deps.delivery?.().catch((err: unknown) => {
        deps.log.warn({ err }, 'delivery figures unavailable for the Home tab');
        return undefined;
      }),
    ]);
    const view = homeView({ active, recent, freezes, now: new Date() });
    if (delivery) view.blocks = [...view.blocks, ...statsHomeBlocks(delivery)].slice(0, 100);
    await client.views.publish({ user_id: event.user, view });
  });
}
