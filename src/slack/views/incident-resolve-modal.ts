// The Resolve dialog (SPEC section 10): opened from the incident card's Resolve button, it asks for
// an optional summary (root cause, what fixed it) that goes on the card, in the audit log and into
// the postmortem draft. The incident id rides in private_metadata.
import type { ModalView } from '@slack/types';
import type { Incident } from '../../incidents/types.ts';
import { escapeMrkdwn, truncate } from '../blockkit.ts';
import { MAX_UPDATE } from '../parse/incident-command.ts';

export const RESOLVE_MODAL_CALLBACK = 'incident_resolve_modal';
export const RESOLVE_BLOCK_ID = 'incident-resolve';
export const RESOLVE_ACTION_ID = 'summary';

export function resolveModal(incident: Incident): ModalView {
  return {
    type: 'modal',
    callback_id: RESOLVE_MODAL_CALLBACK,
    private_metadata: incident.id,
    title: { type: 'plain_text', text: 'Resolve incident' },
    submit: { type: 'plain_text', text: 'Resolve' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        block_id: 'incident-resolve-about',
        text: {
          type: 'mrkdwn',
          text: truncate(`*${incident.severity.toUpperCase()}* · ${escapeMrkdwn(incident.title)}`, 2900),
        },
      },
      {
        type: 'input',
        block_id: RESOLVE_BLOCK_ID,
        optional: true,
        label: { type: 'plain_text', text: 'Summary (optional)' },
        hint: { type: 'plain_text', text: 'Root cause and what fixed it; it starts the postmortem draft.' },
        element: {
          type: 'plain_text_input',
          action_id: RESOLVE_ACTION_ID,
          multiline: true,
          max_length: MAX_UPDATE,
        },
      },
    ],
  };
}
