// The incident card's two dialogs, opened from its buttons (views.open with the click's trigger_id):
// Post update posts the text in the incident channel; Resolve (SPEC section 10) asks for an optional
// summary (root cause, what fixed it) for the card, the audit log and the postmortem draft. The
// incident id rides in private_metadata.
import type { ModalView } from '@slack/types';
import type { Incident } from '../../incidents/types.ts';
import { escapeMrkdwn } from '../blockkit.ts';
import { MAX_UPDATE } from '../parse/incident-command.ts';
import { textDialog } from './text-dialog.ts';

export const UPDATE_MODAL_CALLBACK = 'incident_update_modal';
export const UPDATE_BLOCK_ID = 'incident-update';
export const UPDATE_ACTION_ID = 'text';

export const RESOLVE_MODAL_CALLBACK = 'incident_resolve_modal';
export const RESOLVE_BLOCK_ID = 'incident-resolve';
export const RESOLVE_ACTION_ID = 'summary';

const about = (incident: Incident, blockId: string, then = '') => ({
  blockId,
  format: 'mrkdwn' as const,
  text: `*${incident.severity.toUpperCase()}* · ${escapeMrkdwn(incident.title)}${then}`,
});

/** What a Resolve does, said in its dialog: the card's button asks nothing itself. */
export const RESOLVE_EFFECT =
  'Resolving marks it resolved, resolves the page and posts a postmortem draft in this channel.';

export function updateModal(incident: Incident): ModalView {
  return textDialog({
    callbackId: UPDATE_MODAL_CALLBACK,
    metadata: incident.id,
    title: 'Post update',
    submit: 'Post',
    about: about(incident, 'incident-update-about'),
    field: {
      blockId: UPDATE_BLOCK_ID,
      actionId: UPDATE_ACTION_ID,
      label: 'What changed?',
      maxLength: MAX_UPDATE,
      placeholder: 'Impact, what was tried, next step and when the next update comes',
    },
  });
}

export function resolveModal(incident: Incident): ModalView {
  return textDialog({
    callbackId: RESOLVE_MODAL_CALLBACK,
    metadata: incident.id,
    title: 'Resolve incident',
    submit: 'Resolve',
    about: about(incident, 'incident-resolve-about', `\n${RESOLVE_EFFECT}`),
    field: {
      blockId: RESOLVE_BLOCK_ID,
      actionId: RESOLVE_ACTION_ID,
      label: 'Summary (optional)',
      maxLength: MAX_UPDATE,
      optional: true,
      hint: 'Root cause and what fixed it; it starts the postmortem draft.',
    },
  });
}
