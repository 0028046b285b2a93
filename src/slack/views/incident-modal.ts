// The Post update modal: opened from the card's button (views.open with the click's trigger_id), its
// submission posts the update in the incident channel. The incident id rides in private_metadata.
import type { ModalView } from '@slack/types';
import type { Incident } from '../../incidents/types.ts';
import { escapeMrkdwn, truncate } from '../blockkit.ts';
import { MAX_UPDATE } from '../parse/incident-command.ts';

export const UPDATE_MODAL_CALLBACK = 'incident_update_modal';
export const UPDATE_BLOCK_ID = 'incident-update';
export const UPDATE_ACTION_ID = 'text';

export function updateModal(incident: Incident): ModalView {
  return {
    type: 'modal',
    callback_id: UPDATE_MODAL_CALLBACK,
    private_metadata: incident.id,
    title: { type: 'plain_text', text: 'Post update' },
    submit: { type: 'plain_text', text: 'Post' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        block_id: 'incident-update-about',
        text: {
          type: 'mrkdwn',
          text: truncate(`*${incident.severity.toUpperCase()}* · ${escapeMrkdwn(incident.title)}`, 2900),
        },
      },
      {
        type: 'input',
        block_id: UPDATE_BLOCK_ID,
        label: { type: 'plain_text', text: 'What changed?' },
        element: {
          type: 'plain_text_input',
          action_id: UPDATE_ACTION_ID,
          multiline: true,
          max_length: MAX_UPDATE,
          placeholder: {
            type: 'plain_text',
            text: 'Impact, what was tried, next step and when the next update comes',
          },
        },
      },
    ],
  };
}
