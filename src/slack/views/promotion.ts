// Promotion in Slack: the *Start in <env>* buttons under a completion post, and the lines on each
// card linking a promoted release and its source. Pure.
import type { KnownBlock } from '@slack/types';
import type { ThreadNote } from '../../release/notes.ts';
import type { Release } from '../../release/types.ts';
import { escapeMrkdwn, truncate } from '../blockkit.ts';
import { context } from './blocks.ts';
import { permalink } from './format.ts';

/** One action id per button (Slack wants them unique in a message): release_start_in_0, _1… */
export const START_IN_ACTION_ID = /^release_start_in_\d+$/;
const SEPARATOR = '|';

/** The button's value: the completed release and the environment to start in. */
export function startInValue(releaseId: string, environment: string): string {
  return `${releaseId}${SEPARATOR}${environment}`;
}

export function parseStartInValue(value: string): { releaseId: string; environment: string } | null {
  const at = value.lastIndexOf(SEPARATOR);
  if (at <= 0 || at === value.length - 1) return null;
  return { releaseId: value.slice(0, at), environment: value.slice(at + 1) };
}

/** Blocks for a thread note that carries buttons (a completion that can be promoted), else undefined. */
export function threadBlocks(note: ThreadNote, text: string, releaseId: string): KnownBlock[] | undefined {
  if (note.kind !== 'released' || !note.promoteTo?.length) return undefined;
  return [
    { type: 'section', block_id: 'thread-text', text: { type: 'mrkdwn', text: truncate(text, 3000) } },
    {
      type: 'actions',
      block_id: 'promotion-actions',
      elements: note.promoteTo.slice(0, 25).map((env, i) => ({
        type: 'button' as const,
        action_id: `release_start_in_${i}`,
        text: { type: 'plain_text' as const, text: truncate(`Start in ${env}`, 75) },
        value: startInValue(releaseId, env),
      })),
    },
  ];
}

/** "Promoted from staging (card)" / "Started in production (card)": the links between the two cards. */
export function promotionBlock(r: Release): KnownBlock | null {
  const parts: string[] = [];
  const from = r.promotedFrom;
  if (from) {
    const where = from.card
      ? `<${permalink(from.card)}|${escapeMrkdwn(from.environment)} card>`
      : escapeMrkdwn(from.environment);
    parts.push(`:arrow_up: Promoted from ${where}`);
  }
  for (const to of r.promotedTo ?? []) {
    if (to.card)
      parts.push(`:arrow_right: Started in <${permalink(to.card)}|${escapeMrkdwn(to.environment)}>`);
  }
  return parts.length ? context(parts.slice(0, 10), 'card-promotion') : null;
}
