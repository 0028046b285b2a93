// The reason dialogs of SPEC section 10: Reject (a reason is required) and Roll back (optional),
// opened from the card's buttons with views.open; the submission does the action. What it acts on
// rides in private_metadata as JSON, checked with zod when it comes back.
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import { MAX_REASON } from '../parse/release-command.ts';

export const REASON_MODAL_CALLBACK = 'release_reason_modal';
export const REASON_BLOCK_ID = 'release-reason';
export const REASON_ACTION_ID = 'reason';

export const reasonTargetSchema = z.object({
  kind: z.enum(['reject', 'rollback']),
  releaseId: z.string().regex(/^[A-Za-z0-9_-]{1,120}$/),
});
export type ReasonTarget = z.infer<typeof reasonTargetSchema>;

const WORDS: Record<ReasonTarget['kind'], { title: string; submit: string; label: string; hint: string }> = {
  reject: {
    title: 'Reject release',
    submit: 'Reject',
    label: 'Why is it rejected?',
    hint: 'The requester reads this on the card and in the thread.',
  },
  rollback: {
    title: 'Roll back release',
    submit: 'Roll back',
    label: 'Why roll back? (optional)',
    hint: 'Traffic goes to 0 and the rollback action runs as soon as you submit.',
  },
};

export function reasonModal(target: ReasonTarget, about: string): ModalView {
  const words = WORDS[target.kind];
  return {
    type: 'modal',
    callback_id: REASON_MODAL_CALLBACK,
    private_metadata: JSON.stringify(target),
    title: { type: 'plain_text', text: words.title },
    submit: { type: 'plain_text', text: words.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        block_id: 'release-reason-about',
        text: { type: 'plain_text', text: about.slice(0, 2900) },
      },
      {
        type: 'input',
        block_id: REASON_BLOCK_ID,
        optional: target.kind !== 'reject',
        label: { type: 'plain_text', text: words.label },
        hint: { type: 'plain_text', text: words.hint },
        element: {
          type: 'plain_text_input',
          action_id: REASON_ACTION_ID,
          multiline: true,
          max_length: MAX_REASON,
        },
      },
    ],
  };
}

/** The target of a submitted reason dialog, or null when its metadata is not one of ours. */
export function parseReasonTarget(metadata: string): ReasonTarget | null {
  try {
    const parsed = reasonTargetSchema.safeParse(JSON.parse(metadata));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
