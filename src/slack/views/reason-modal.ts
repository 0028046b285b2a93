// The reason dialogs of SPEC section 10: Reject (a reason is required) and Roll back (optional),
// opened from the card's buttons with views.open; the submission does the action. What it acts on
// rides in private_metadata as JSON, checked with zod when it comes back.
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { Release } from '../../release/types.ts';
import { escapeMrkdwn } from '../blockkit.ts';
import { MAX_REASON } from '../parse/release-command.ts';
import { rollbackPlanText } from './card-actions.ts';
import { textDialog } from './text-dialog.ts';

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
    hint: 'The rollback starts as soon as you submit; Cancel changes nothing.',
  },
};

/**
 * The dialog for a Reject or Roll back click. It is the only confirmation the click gets (the button
 * has no confirm of its own), so a rollback's dialog says what the rollback will do.
 */
export function reasonModal(target: ReasonTarget, release: Release): ModalView {
  const words = WORDS[target.kind];
  const what = `${release.service} ${release.version} to ${release.environment} (${release.id})`;
  return textDialog({
    callbackId: REASON_MODAL_CALLBACK,
    metadata: JSON.stringify(target),
    title: words.title,
    submit: words.submit,
    about:
      target.kind === 'rollback'
        ? {
            blockId: 'release-reason-about',
            format: 'mrkdwn',
            text: `*Roll back ${escapeMrkdwn(what)}*\n${rollbackPlanText(release)}`,
          }
        : { blockId: 'release-reason-about', format: 'plain_text', text: what },
    field: {
      blockId: REASON_BLOCK_ID,
      actionId: REASON_ACTION_ID,
      label: words.label,
      maxLength: MAX_REASON,
      optional: target.kind !== 'reject',
      hint: words.hint,
    },
  });
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
