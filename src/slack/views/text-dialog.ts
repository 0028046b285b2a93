// The one shape of Runway's small dialogs (views.open): a line saying what the dialog acts on, one
// text field, and the target riding in private_metadata. Post update, Resolve, Reject and Roll back
// are all built here, so they look alike and keep within Block Kit's limits in one place.
import type { ModalView } from '@slack/types';
import { truncate } from '../blockkit.ts';

/** Room left under the section limit (3,000) for whatever a caller appends. */
const ABOUT_MAX = 2900;

export interface TextDialogSpec {
  callbackId: string;
  /** Comes back untouched on submission: what the dialog acts on. */
  metadata: string;
  title: string;
  submit: string;
  about: { blockId: string; text: string; format: 'mrkdwn' | 'plain_text' };
  field: {
    blockId: string;
    actionId: string;
    label: string;
    maxLength: number;
    optional?: boolean;
    hint?: string;
    placeholder?: string;
  };
}

export function textDialog(spec: TextDialogSpec): ModalView {
  const { field } = spec;
  return {
    type: 'modal',
    callback_id: spec.callbackId,
    private_metadata: spec.metadata,
    title: { type: 'plain_text', text: spec.title },
    submit: { type: 'plain_text', text: spec.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        block_id: spec.about.blockId,
        text: { type: spec.about.format, text: truncate(spec.about.text, ABOUT_MAX) },
      },
      {
        type: 'input',
        block_id: field.blockId,
        ...(field.optional !== undefined ? { optional: field.optional } : {}),
        label: { type: 'plain_text', text: field.label },
        ...(field.hint ? { hint: { type: 'plain_text', text: field.hint } } : {}),
        element: {
          type: 'plain_text_input',
          action_id: field.actionId,
          multiline: true,
          max_length: field.maxLength,
          ...(field.placeholder ? { placeholder: { type: 'plain_text', text: field.placeholder } } : {}),
        },
      },
    ],
  };
}
