// The App Home tab: active releases (state, stage, a button to the card), open incidents (a button to
// their channel), the last five finished ones, the freezes in force, and what to type to act. Pure,
// and within the 100 blocks of a Home view.
import type { Button, HomeView, KnownBlock, SectionBlock } from '@slack/types';
import type { Incident } from '../../incidents/types.ts';
import type { Release } from '../../release/types.ts';
import { FINAL_STATES } from '../../release/types.ts';
import type { FreezeInfo } from '../../store/release-store.ts';
import { LIMITS, defuseBroadcasts, fitBlocks, truncate } from '../blockkit.ts';
import { context, fitLines, header, section } from './blocks.ts';
import {
  DEFAULT_LINK_BASE,
  cardLink,
  elapsed,
  holdLeft,
  permalink,
  stageProgress,
  stateWords,
  trafficWords,
  utc,
} from './format.ts';
import {
  commanderText,
  incidentDuration,
  SEVERITY_EMOJI,
  severityLabel,
  STATUS_WORDS,
} from './incident-format.ts';
import { freezeLine } from './release-text.ts';

export interface HomeInput {
  active: readonly Release[];
  /** Finished releases, any order; the five newest are shown. */
  recent: readonly Release[];
  freezes: Record<string, FreezeInfo>;
  /** Open incidents, any order; the newest come first. */
  incidents?: readonly Incident[];
  now: Date;
  linkBase?: string;
}

export const HOME_RECENT = 5;
/** Active releases and open incidents shown one block each; the rest are counted (100 blocks a view). */
const HOME_ACTIVE_MAX = 40;
const HOME_INCIDENTS_MAX = 30;

/** Action ids of the Home's link buttons (Slack still sends a click for a link button: it is acked). */
export const HOME_LINK_ACTION = /^home-open-/;

/** What to type to act, for someone who opens the Home tab first. */
const HOW_TO =
  'Start a release: `/release start <service> <version>` · declare an incident: `/incident declare sev2 <title>` · post the shift handoff: `/handoff` · everything: `/release help`';

export function homeView(input: HomeInput): HomeView {
  const active = input.active.filter((r) => !FINAL_STATES.includes(r.state));
  const blocks: KnownBlock[] = [
    header('Runway releases', 'home-header'),
    context([`Updated ${utc(input.now.toISOString())}`, HOW_TO], 'home-updated'),
    header('Active releases', 'home-active-header'),
  ];
  if (active.length === 0) blocks.push(section('_No active releases._', 'home-active-none'));
  active.slice(0, HOME_ACTIVE_MAX).forEach((r, i) => {
    const link = r.card ? permalink(r.card, input.linkBase ?? DEFAULT_LINK_BASE) : null;
    const block = section(activeText(r, input), `home-active-${i + 1}`);
    blocks.push(link ? withButton(block, 'Open card', `home-open-card-${i + 1}`, link) : block);
  });
  if (active.length > HOME_ACTIVE_MAX) {
    blocks.push(
      context([`…and ${active.length - HOME_ACTIVE_MAX} more: \`/release status\``], 'home-active-more'),
    );
  }
  blocks.push({ type: 'divider', block_id: 'home-divider-0' }, ...incidentBlocks(input));
  blocks.push(
    { type: 'divider', block_id: 'home-divider-1' },
    header('Recently finished', 'home-recent-header'),
  );
  blocks.push(section(recentText(input), 'home-recent'));
  blocks.push({ type: 'divider', block_id: 'home-divider-2' }, header('Freezes', 'home-freezes-header'));
  blocks.push(section(freezesHomeText(input.freezes), 'home-freezes'));
  return { type: 'home', blocks: fitBlocks(blocks, 'home') };
}

function withButton(block: SectionBlock, text: string, actionId: string, url: string): SectionBlock {
  const accessory: Button = { type: 'button', action_id: actionId, text: { type: 'plain_text', text }, url };
  return { ...block, accessory };
}

function incidentBlocks(input: HomeInput): KnownBlock[] {
  const open = [...(input.incidents ?? [])]
    .filter((i) => i.status !== 'resolved')
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const blocks: KnownBlock[] = [header(`Open incidents (${open.length})`, 'home-incidents-header')];
  if (open.length === 0) blocks.push(section('_No open incidents._', 'home-incidents-none'));
  open.slice(0, HOME_INCIDENTS_MAX).forEach((i, n) => {
    const text = [
      `${SEVERITY_EMOJI[i.severity]} *${severityLabel(i.severity)}* <#${i.channelId}> ${truncate(defuseBroadcasts(i.title), 200)}`,
      `${STATUS_WORDS[i.status]} · commander ${commanderText(i)} · open ${incidentDuration(i, input.now)}`,
    ].join('\n');
    const block = section(text, `home-incident-${n + 1}`);
    const link = i.card ? permalink(i.card, input.linkBase) : null;
    blocks.push(link ? withButton(block, 'Open incident', `home-open-incident-${n + 1}`, link) : block);
  });
  if (open.length > HOME_INCIDENTS_MAX)
    blocks.push(
      context([`…and ${open.length - HOME_INCIDENTS_MAX} more: \`/incident list\``], 'home-incidents-more'),
    );
  return blocks;
}

function activeText(r: Release, input: HomeInput): string {
  const lines = [`*${r.service} ${r.version} → ${r.environment}* · ${stateWords(r.state)}`];
  const progress = stageProgress(r);
  const left = r.state === 'running' || r.state === 'paused' ? holdLeft(r, input.now) : null;
  const details = [
    progress ? `${progress}${left ? `, ${left}` : ''}` : null,
    trafficWords(r),
    r.state === 'preflight' || r.state === 'awaiting_approval'
      ? `approvals ${r.approvals.length}/${r.plan.approvals.required}`
      : null,
    `running for ${elapsed(r, input.now)}`,
  ].filter((x): x is string => Boolean(x));
  lines.push(details.join(' · '));
  const why =
    r.state === 'paused' ? r.pause?.reason : r.state === 'rolling_back' ? r.rollback?.reason : undefined;
  if (why) lines.push(`_${truncate(defuseBroadcasts(why.split('\n')[0] ?? ''), 300)}_`);
  return lines.join('\n');
}

function recentText(input: HomeInput): string {
  const recent = input.recent
    .filter((r) => FINAL_STATES.includes(r.state))
    .sort((a, b) => (b.endedAt ?? b.updatedAt).localeCompare(a.endedAt ?? a.updatedAt))
    .slice(0, HOME_RECENT);
  if (recent.length === 0) return '_Nothing finished yet._';
  return recent
    .map((r) => {
      const link = cardLink(r, input.linkBase);
      return `• *${r.service}* ${r.version} → ${r.environment} — ${stateWords(r.state)} · ${utc(r.endedAt ?? r.updatedAt)}${link ? ` · ${link}` : ''}`;
    })
    .join('\n');
}

function freezesHomeText(freezes: Record<string, FreezeInfo>): string {
  const scopes = Object.keys(freezes).sort();
  if (scopes.length === 0) return '_No freezes._';
  const lines = scopes.map((s) => `• ${freezeLine(s, freezes[s]!)}`);
  return fitLines(lines, LIMITS.sectionText, (n) => `…and ${n} more`);
}
