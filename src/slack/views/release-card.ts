// The release card (SPEC section 3): the root message of a release thread, rebuilt from the release at
// each transition. Pure: the release and the time in, Block Kit JSON out, always within its limits.
import type { KnownBlock } from '@slack/types';
import type { Release } from '../../release/types.ts';
import { mention } from '../people.ts';
import { LIMITS, escapeMrkdwn, fitBlocks, truncate } from '../blockkit.ts';
import { context, fieldsSection, header, section } from './blocks.ts';
import { cardActions } from './card-actions.ts';
import type { Changelog } from '../../insight/changelog.ts';
import { changelogText } from './insight.ts';
import { promotionBlock } from './promotion.ts';
import {
  approvalsBlock,
  outcomeBlock,
  pauseBlock,
  preflightBlocks,
  rollbackBlocks,
  stagesBlocks,
} from './card-sections.ts';
import { gatesBlocks } from './card-gates.ts';
import {
  holdLeft,
  releaseTitle,
  stageProgress,
  stateWords,
  trafficPercent,
  trafficWords,
  utc,
} from './format.ts';

export { ACTION_IDS, CARD_ACTIONS_BLOCK_ID, cardButtons, rollbackPlanText } from './card-actions.ts';
export { PREFLIGHT_TICK_BLOCK_ID, preflightTickChanges } from './card-sections.ts';

export interface CardOptions {
  now: Date;
  /** The commits since the previous version, when the runbook configures a changelog. */
  changelog?: Changelog;
}

export interface CardMessage {
  text: string;
  blocks: KnownBlock[];
}

export function releaseCard(release: Release, options: CardOptions): CardMessage {
  const r = release;
  const blocks: KnownBlock[] = [header(releaseTitle(r), 'card-header'), summaryFields(r)];
  const promotion = promotionBlock(r);
  if (promotion) blocks.push(promotion);
  if (r.notes) blocks.push(section(`*Notes*\n${truncate(escapeMrkdwn(r.notes), 2900)}`, 'card-notes'));
  if (options.changelog) blocks.push(section(changelogText(options.changelog), 'card-changelog'));
  blocks.push(...preflightBlocks(r));
  const approvals = approvalsBlock(r);
  if (approvals) blocks.push(approvals);
  blocks.push(...stagesBlocks(r, options.now));
  blocks.push(...gatesBlocks(r, options.now));
  const pause = pauseBlock(r);
  if (pause) blocks.push(pause);
  blocks.push(...rollbackBlocks(r));
  const outcome = outcomeBlock(r);
  if (outcome) blocks.push(outcome);
  blocks.push(
    context(
      [
        `Release \`${escapeMrkdwn(r.id)}\` · started ${utc(r.createdAt)}${r.endedAt ? ` · ended ${utc(r.endedAt)}` : ''}`,
      ],
      'card-context',
    ),
  );
  const buttons = cardActions(r);
  if (buttons) blocks.push(buttons);
  return { text: cardText(r, options.now), blocks: fitBlocks(blocks, 'message') };
}

function summaryFields(r: Release) {
  const fields = [
    `*Requested by*\n${mention(r.requester)}`,
    `*State*\n${stateWords(r.state)}`,
    `*Traffic*\n${trafficField(r)}`,
    `*Previous version*\n${r.previousVersion ?? '_none recorded_'}`,
  ];
  if (r.hotfix) fields.push(`*Hotfix*\n_${truncate(escapeMrkdwn(r.hotfix.reason), 1000)}_`);
  if (r.dryRun) fields.push('*Dry run*\nnothing is run, locked or changed');
  return fieldsSection(fields, 'card-summary');
}

/** "10%", or a dash when the release sets no traffic (a deploy-only runbook). */
function trafficField(r: Release): string {
  const percent = trafficPercent(r);
  if (percent !== null) return `${percent}%`;
  return r.kind === 'release' ? '— _(no traffic stage)_' : '—';
}

/** The one-line fallback: notifications and screen readers get this. */
export function cardText(r: Release, now: Date): string {
  const parts = [stateWords(r.state).replace(/^\S+ /, '').toLowerCase()];
  const progress = stageProgress(r);
  if (progress && (r.state === 'running' || r.state === 'paused')) {
    const left = holdLeft(r, now);
    parts.push(left ? `${progress}, ${left}` : progress);
  }
  if (r.state === 'preflight' || r.state === 'awaiting_approval') {
    parts.push(`${r.approvals.length}/${r.plan.approvals.required} approvals`);
  }
  const traffic = trafficWords(r);
  if (traffic) parts.push(traffic);
  return truncate(`${releaseTitle(r)}: ${parts.join(', ')}`.replace(/\s+/g, ' '), LIMITS.messageText);
}
