// The App Home tab: active releases (state, stage, link to the card), the last five finished ones
// and the freezes in force. Pure, and within the 100 blocks of a Home view.
import type { HomeView, KnownBlock } from '@slack/types';
import type { Release } from '../../release/types.ts';
import { FINAL_STATES } from '../../release/types.ts';
import type { FreezeInfo } from '../../store/release-store.ts';
import { LIMITS, defuseBroadcasts, fitBlocks, truncate } from '../blockkit.ts';
import { context, fitLines, header, section } from './blocks.ts';
import { cardLink, elapsed, holdLeft, stageProgress, stateWords, trafficWords, utc } from './format.ts';
import { freezeLine } from './release-text.ts';

export interface HomeInput {
  active: readonly Release[];
  /** Finished releases, any order; the five newest are shown. */
  recent: readonly Release[];
  freezes: Record<string, FreezeInfo>;
  now: Date;
  linkBase?: string;
}

export const HOME_RECENT = 5;
/** Active releases shown one block each; the rest are counted so the view stays within 100 blocks. */
const HOME_ACTIVE_MAX = 80;

export function homeView(input: HomeInput): HomeView {
  const active = input.active.filter((r) => !FINAL_STATES.includes(r.state));
  const blocks: KnownBlock[] = [
    header('Runway releases', 'home-header'),
    context([`Updated ${utc(input.now.toISOString())} · \`/release help\` for commands`], 'home-updated'),
    header('Active releases', 'home-active-header'),
  ];
  if (active.length === 0) blocks.push(section('_No active releases._', 'home-active-none'));
  active
    .slice(0, HOME_ACTIVE_MAX)
    .forEach((r, i) => blocks.push(section(activeText(r, input), `home-active-${i + 1}`)));
  if (active.length > HOME_ACTIVE_MAX) {
    blocks.push(
      context([`…and ${active.length - HOME_ACTIVE_MAX} more: \`/release status\``], 'home-active-more'),
    );
  }
  blocks.push(
    { type: 'divider', block_id: 'home-divider-1' },
    header('Recently finished', 'home-recent-header'),
  );
  blocks.push(section(recentText(input), 'home-recent'));
  blocks.push({ type: 'divider', block_id: 'home-divider-2' }, header('Freezes', 'home-freezes-header'));
  blocks.push(section(freezesHomeText(input.freezes), 'home-freezes'));
  return { type: 'home', blocks: fitBlocks(blocks, 'home') };
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
    cardLink(r, input.linkBase, 'open card'),
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
