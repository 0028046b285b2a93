// The card's buttons: which the state allows, and the words that say what a Promote or a rollback does.
import type { ActionsBlock, Button } from '@slack/types';
import type { Release } from '../../release/types.ts';
import { stageLabel } from '../../release/machine.ts';
import { escapeMrkdwn, truncate } from '../blockkit.ts';
import { actions, button } from './blocks.ts';

export const ACTION_IDS = {
  approve: 'release_approve',
  reject: 'release_reject',
  pause: 'release_pause',
  resume: 'release_resume',
  promote: 'release_promote',
  rollback: 'release_rollback',
  rerunPreflight: 'release_rerun_preflight',
  preflightTick: 'preflight_tick',
} as const;

export const CARD_ACTIONS_BLOCK_ID = 'card-actions';
export { rollbackPlanText, summary } from './rollback-plan.ts';

/** The buttons the release's state allows, in the order they show; empty when none. */
export function cardButtons(r: Release): Button[] {
  const value = r.id;
  switch (r.state) {
    case 'preflight':
    case 'awaiting_approval': {
      const buttons = [
        button({ text: 'Approve', actionId: ACTION_IDS.approve, value, style: 'primary' }),
        button({ text: 'Reject', actionId: ACTION_IDS.reject, value, style: 'danger' }),
      ];
      // The machine re-runs checks only while pre-flight is open and one of them failed.
      if (r.state === 'preflight' && r.preflight.some((p) => !p.manual && p.status === 'failed')) {
        buttons.push(button({ text: 'Re-run checks', actionId: ACTION_IDS.rerunPreflight, value }));
      }
      return buttons;
    }
    case 'running': {
      const buttons = [button({ text: 'Pause', actionId: ACTION_IDS.pause, value })];
      const phase = r.stages[r.stageIndex]?.phase;
      if (r.stages[r.stageIndex]?.status === 'running' && (phase === 'hold' || phase === 'approval')) {
        // The stage travels with the click: a late or double click cannot promote the next stage.
        buttons.push(
          button({
            text: 'Promote',
            actionId: ACTION_IDS.promote,
            value: promoteValue(r),
            style: 'primary',
            confirm: { title: 'Promote?', text: promoteText(r), confirm: 'Promote', deny: 'Cancel' },
          }),
        );
      }
      buttons.push(rollbackButton(r));
      return buttons;
    }
    case 'paused':
      return [
        button({ text: 'Resume', actionId: ACTION_IDS.resume, value, style: 'primary' }),
        rollbackButton(r),
      ];
    default:
      return [];
  }
}

export function cardActions(r: Release): ActionsBlock | null {
  const buttons = cardButtons(r);
  return buttons.length > 0 ? actions(buttons, CARD_ACTIONS_BLOCK_ID) : null;
}

/** What Promote does, said where it is clicked: end this hold (or answer the approval) and go on. */
export function promoteText(r: Release): string {
  const plan = r.plan.stages[r.stageIndex];
  const next = r.plan.stages[r.stageIndex + 1];
  const then = next
    ? `starts stage ${r.stageIndex + 2}/${r.plan.stages.length} (${escapeMrkdwn(stageLabel(next))})`
    : 'completes the release';
  if (plan?.kind === 'approval')
    return `Answers yes to _${escapeMrkdwn(truncate(plan.question, 200))}_ and ${then}.`;
  const label = plan ? ` (${escapeMrkdwn(stageLabel(plan))})` : '';
  return `Ends the hold of stage ${r.stageIndex + 1}${label} now, without waiting for the rest of it, and ${then}.`;
}

// No confirm: the click opens the reason dialog, which says what the rollback will do and is the
// one confirmation (a confirm before it would ask twice for one act).
function rollbackButton(r: Release): Button {
  return button({ text: 'Roll back', actionId: ACTION_IDS.rollback, value: r.id, style: 'danger' });
}

/** A Promote button's value: the release and the stage it promotes, `<release id>#<stage index>`. */
export function promoteValue(r: Release): string {
  return `${r.id}#${r.stageIndex}`;
}

/** The release id and stage of a Promote value (a bare id, from an older card, has no stage). */
export function parsePromoteValue(value: string): { releaseId: string; stageIndex?: number } {
  const [releaseId = '', stage] = value.split('#');
  const stageIndex = stage !== undefined && /^\d+$/.test(stage) ? Number(stage) : undefined;
  return stageIndex === undefined ? { releaseId } : { releaseId, stageIndex };
}
