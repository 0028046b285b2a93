// The App Home tab: active releases and open incidents, each with a button to its card, and what to
// type to act. Its buttons are links; Slack still sends their clicks, which are acknowledged.
import type { App } from '@slack/bolt';
import { HOME_LINK_ACTION, homeView } from '../src/slack/views/home.ts';
import { linkBase } from '../src/slack/workspace-url.ts';
import type { AllCommandDeps } from './incident-deps.ts';
import { statsHomeBlocks } from '../src/slack/views/stats.ts';

export function registerHome(app: App, deps: AllCommandDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const [active, recent, freezes, incidents, links, delivery] = await Promise.all([
      deps.engine.list(),
      deps.engine.history(undefined, 5),
      deps.engine.freezes(),
      deps.incidents?.listOpen() ?? Promise.resolve([]),
      linkBase(client),
      deps.delivery?.().catch((err: unknown) => {
        deps.log.warn({ err }, 'delivery figures unavailable for the Home tab');
        return undefined;
      }),
    ]);
    const view = homeView({ active, recent, freezes, incidents, now: new Date(), linkBase: links });
    if (delivery) view.blocks = [...view.blocks, ...statsHomeBlocks(delivery)].slice(0, 100);
    await client.views.publish({ user_id: event.user, view });
  });
  app.action(HOME_LINK_ACTION, async ({ ack }) => {
    await ack();
  });
}
