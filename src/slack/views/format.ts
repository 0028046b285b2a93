// Words shared by the card, the text replies and the Home tab: a state with its emoji, where a
// release stands, times in UTC and the link to a card.
import type { Release, ReleaseState } from '../../release/types.ts';
import { describeState, stageLabel } from '../../release/machine.ts';
import { mention } from '../people.ts';
import { formatDuration } from '../../config/duration.ts';

export const STATE_EMOJI: Record<ReleaseState, string> = {
  preflight: '📋',
  awaiting_approval: '✋',
  running: '▶️',
  paused: '⏸️',
  rolling_back: '⏪',
  completed: '✅',
  rolled_back: '↩️',
  rejected: '🚫',
  aborted: '🛑',
  failed: '🚨',
};

/** "▶️ Running". */
export function stateWords(state: ReleaseState): string {
  const words = describeState(state);
  return `${STATE_EMOJI[state]} ${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/** "checkout v1.2.3 → production". */
export function releaseTitle(r: Release): string {
  if (r.kind === 'rollback') {
    return `Rollback of ${r.service} ${r.version}${r.previousVersion ? ` to ${r.previousVersion}` : ''} in ${r.environment}`;
  }
  return `${r.dryRun ? '[dry run] ' : ''}${r.service} ${r.version} → ${r.environment}`;
}

/** "stage 2/7 (traffic 10%, hold 30m)", or null before the first stage. */
export function stageProgress(r: Release): string | null {
  const plan = r.plan.stages[r.stageIndex];
  if (!plan || r.stageIndex < 0) return null;
  return `stage ${r.stageIndex + 1}/${r.plan.stages.length} (${stageLabel(plan)})`;
}

/** Hold time left on the current stage: "12m left", "paused, 12m left", or null when not holding. */
export function holdLeft(r: Release, now: Date): string | null {
  const stage = r.stages[r.stageIndex];
  if (!stage || stage.status !== 'running' || stage.phase !== 'hold') return null;
  if (stage.holdEndsAt) {
    const left = Math.max(0, Date.parse(stage.holdEndsAt) - now.getTime());
    return left > 0 ? `${formatDuration(left)} left` : 'hold over';
  }
  if (stage.holdRemainingMs !== undefined) {
    return `paused, ${formatDuration(stage.holdRemainingMs)} left`;
  }
  return null;
}

/**
 * The traffic % the card can vouch for, or null when nothing in this release sets traffic: a runbook
 * without traffic stages (deploy-only), or a rollback whose traffic step has not run. `r.traffic`
 * starts at 0 and only traffic stages and the rollback's traffic step change it, so without either
 * "0%" would be a guess (and after a completed deploy-only release, a wrong one).
 */
export function trafficPercent(r: Release): number | null {
  const ramps = r.kind === 'release' && r.plan.stages.some((s) => s.kind === 'traffic');
  const reset = r.rollback?.steps.some((s) => s.name === 'traffic' && s.status === 'done') ?? false;
  return ramps || reset ? r.traffic : null;
}

/** "traffic 10%" for one-line summaries, or null when the release does not set traffic. */
export function trafficWords(r: Release): string | null {
  const percent = trafficPercent(r);
  return percent === null ? null : `traffic ${percent}%`;
}

/** Who did it: a mention, or "Runway" for what the bot did by itself. */
export function actorName(id: string): string {
  return id === 'runway' ? 'Runway' : mention(id);
}

/** "2026-11-24 18:00 UTC" (seconds with `seconds: true`). */
export function utc(iso: string, options: { seconds?: boolean } = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const text = d.toISOString().replace('T', ' ');
  return `${text.slice(0, options.seconds ? 19 : 16)} UTC`;
}

export const DEFAULT_LINK_BASE = 'https://slack.com';

/** The card's permalink: https://slack.com/archives/<channel>/p<ts without the dot>. */
export function permalink(card: { channel: string; ts: string }, base: string = DEFAULT_LINK_BASE): string {
  return `${base.replace(/\/+$/, '')}/archives/${encodeURIComponent(card.channel)}/p${card.ts.replace('.', '')}`;
}

/** Points https://slack.com/archives/… links in a text at `base` (the workspace's own address). */
export function relink(text: string, base: string): string {
  const to = base.replace(/\/+$/, '');
  return to === DEFAULT_LINK_BASE
    ? text
    : text.replaceAll(`${DEFAULT_LINK_BASE}/archives/`, `${to}/archives/`);
}

/** "<permalink|card>" when the release has a card, else null. */
export function cardLink(r: Release, base?: string, label = 'card'): string | null {
  return r.card ? `<${permalink(r.card, base)}|${label}>` : null;
}

/** How long the release took (or has taken so far). */
export function elapsed(r: Release, now: Date): string {
  const end = r.endedAt ? Date.parse(r.endedAt) : now.getTime();
  return formatDuration(Math.max(0, end - Date.parse(r.createdAt)));
}
