// The incident card's buttons and their modals. Acknowledge acts at once (a Slack retry of the same
// click is dropped); Post update and Resolve open their modal right here, because views.open needs
// the click's trigger_id within 3 seconds; Resolve's submission resolves, with its optional summary.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { INCIDENT_ACTION_IDS } from '../src/slack/views/incident-card.ts';
import {
  UPDATE_ACTION_ID,
  UPDATE_BLOCK_ID,
  UPDATE_MODAL_CALLBACK,
  updateModal,
} from '../src/slack/views/incident-modal.ts';
import { MAX_UPDATE } from '../src/slack/parse/incident-command.ts';
import { NOT_WIRED, type AllCommandDeps } from './incident-deps.ts';
import { firstClickDelivery } from './deps.ts';
import {
  RESOLVE_ACTION_ID,
  RESOLVE_BLOCK_ID,
  RESOLVE_MODAL_CALLBACK,
  resolveModal,
} from '../src/slack/views/incident-resolve-modal.ts';

export const INCIDENT_BUTTONS = /^incident_(acknowledge|update|resolve)$/;

export function registerIncidentActions(app: App, deps: AllCommandDeps): void {
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: INCIDENT_BUTTONS },
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
      const service = deps.incidents;
      if (!service) return void (await say(NOT_WIRED));
      const incidentId = action.value ?? '';
      if (
        action.action_id === INCIDENT_ACTION_IDS.update ||
        action.action_id === INCIDENT_ACTION_IDS.resolve
      ) {
        const incident = await service.get(incidentId);
        if (!incident) return void (await say('That incident no longer exists.'));
        if (incident.status === 'resolved')
          return void (await say('This incident is resolved; add to the postmortem draft instead.'));
        const view =
          action.action_id === INCIDENT_ACTION_IDS.update ? updateModal(incident) : resolveModal(incident);
        try {
          await client.views.open({ trigger_id: body.trigger_id, view });
        } catch (error) {
          // An expired or already used trigger (a slow or repeated click): offer the command instead.
          deps.log.warn(
            { incidentId, err: error instanceof Error ? error.message : String(error) },
            'could not open the update form',
          );
          await say(
            'Runway could not open the update form; post it with `/incident update <text>` in this channel.',
          );
        }
        return;
      }
      if (!(await firstClickDelivery(deps, body.user.id, action))) return;
      const result = await service.acknowledge(incidentId, body.user.id);
      if (!result.ok) await say(result.reason);
    },
  );

  app.view(RESOLVE_MODAL_CALLBACK, async ({ ack, body, view, client }) => {
    const summary = view.state.values[RESOLVE_BLOCK_ID]?.[RESOLVE_ACTION_ID]?.value?.trim() ?? '';
    await ack();
    const service = deps.incidents;
    if (!service) return;
    const result = await service.resolve(view.private_metadata, body.user.id, summary || undefined);
    if (!result.ok) {
      const incident = await service.get(view.private_metadata);
      if (incident)
        await client.chat.postEphemeral({
          channel: incident.channelId,
          user: body.user.id,
          text: result.reason,
        });
    }
  });

  app.view(UPDATE_MODAL_CALLBACK, async ({ ack, body, view, client }) => {
    const text = view.state.values[UPDATE_BLOCK_ID]?.[UPDATE_ACTION_ID]?.value?.trim() ?? '';
    if (!text || text.length > MAX_UPDATE) {
      await ack({
        response_action: 'errors',
        errors: { [UPDATE_BLOCK_ID]: text ? `At most ${MAX_UPDATE} characters.` : 'Say what changed.' },
      });
      return;
    }
    await ack();
    const service = deps.incidents;
    if (!service) return;
    const result = await service.postUpdate(view.private_metadata, body.user.id, text);
    if (!result.ok) {
      const incident = await service.get(view.private_metadata);
      if (incident)
        await client.chat.postEphemeral({
          channel: incident.channelId,
          user: body.user.id,
          text: result.reason,
        });
    }
  });
}
