// `/handoff`: post the shift handoff to the on-call channel now; `/handoff preview` shows it only to
// the caller. Acknowledged at once; the handoff is built and posted after.
import type { App } from '@slack/bolt';
import { parseHandoffCommand } from '../src/slack/parse/handoff-command.ts';
import { HANDOFF_USAGE } from '../src/slack/views/help.ts';
import { NOT_WIRED, type AllCommandDeps } from './incident-deps.ts';
import { firstCommandDelivery } from './deps.ts';

export function registerHandoffCommand(app: App, deps: AllCommandDeps): void {
  app.command('/handoff', async ({ command, ack, respond }) => {
    const parsed = parseHandoffCommand(command.text);
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', text: `${parsed.error}\n${HANDOFF_USAGE}` });
      await deps.engine.auditBadCommand(command.user_id, `/handoff ${command.text}`, parsed.error);
      return;
    }
    if (parsed.command.verb === 'help') {
      await ack({ response_type: 'ephemeral', text: HANDOFF_USAGE });
      return;
    }
    const service = deps.handoff;
    if (!service) {
      await ack({ response_type: 'ephemeral', text: NOT_WIRED });
      return;
    }
    await ack();
    if (!(await firstCommandDelivery(deps, command))) return; // a Slack retry of a command already handled
    try {
      if (parsed.command.verb === 'preview') {
        const message = await service.buildShift(command.user_id, { preview: true });
        await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
        return;
      }
      const result = await service.postShift(command.user_id);
      await respond({
        response_type: 'ephemeral',
        text: result.ok
          ? `Shift handoff posted in ${result.channels.map((c) => `<#${c}>`).join(', ')}.`
          : result.reason,
      });
    } catch (error) {
      deps.log.error({ err: error, user: command.user_id }, '/handoff failed');
      await respond({
        response_type: 'ephemeral',
        text: 'Runway could not post the handoff just now (an internal error was logged). Try again in a moment.',
      });
    }
  });
}
