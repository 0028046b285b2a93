// Plain mrkdwn replies: /release status, list, history, audit, and the freeze list. Each fits in one
// 3,000-character section; what does not fit is counted ("…and 4 more").
import type { Release } from '../../release/types.ts';
import { FINAL_STATES } from '../../release/types.ts';
import type { AuditEntry } from '../../store/audit-entry.ts';
import type { FreezeInfo } from '../../store/release-store.ts';
import { mention } from '../people.ts';
import { LIMITS, defuseBroadcasts, escapeMrkdwn, truncate } from '../blockkit.ts';
import { fitLines, fitMiddle } from './blocks.ts';
import {
  actorName,
  cardLink,
  elapsed,
  holdLeft,
  stageProgress,
  STATE_EMOJI,
  stateWords,
  trafficWords,
  utc,
} from './format.ts';

export interface TextOptions {
  now: Date;
  /** Where card links point; https://slack.com unless the workspace (or the sandbox) says otherwise. */
  linkBase?: string;
}

const MAX = LIMITS.messageText;
const more = (what: string) => (n: number) => `…and ${n} more ${what}`;

/** `/release status [service]`: where every active release stands. */
export function statusText(
  releases: readonly Release[],
  options: TextOptions & { service?: string },
): string {
  const active = releases.filter(
    (r) => !FINAL_STATES.includes(r.state) && (!options.service || r.service === options.service),
  );
  if (active.length === 0) {
    return options.service
      ? `No active release of *${escapeMrkdwn(options.service)}*.`
      : 'No active releases.';
  }
  const lines = active.map((r) => statusLine(r, options));
  const title = options.service
    ? `*Active releases of ${escapeMrkdwn(options.service)}*`
    : '*Active releases*';
  return fitLines([title, ...lines], MAX, more('releases'));
}

function statusLine(r: Release, options: TextOptions): string {
  const parts = [`• *${r.service}* ${r.version} → ${r.environment}: ${stateWords(r.state)}`];
  const progress = stageProgress(r);
  if (progress) {
    const left = r.state === 'running' || r.state === 'paused' ? holdLeft(r, options.now) : null;
    parts.push(`${progress}${left ? `, ${left}` : ''}`);
  }
  if (r.state === 'preflight') {
    const passed = r.preflight.filter((p) => p.status === 'passed').length;
    parts.push(`pre-flight ${passed}/${r.preflight.length}`);
  }
  if (r.state === 'preflight' || r.state === 'awaiting_approval') {
    parts.push(`approvals ${r.approvals.length}/${r.plan.approvals.required}`);
  }
  const traffic = trafficWords(r);
  if (traffic) parts.push(traffic);
  const link = cardLink(r, options.linkBase);
  if (link) parts.push(link);
  let line = parts.join(' · ');
  if (r.state === 'paused' && r.pause) {
    line += `\n    paused by ${actorName(r.pause.by)}: ${truncate(defuseBroadcasts(r.pause.reason.split('\n')[0] ?? ''), 300)}`;
  }
  if (r.state === 'rolling_back' && r.rollback) {
    line += `\n    rolling back: ${truncate(defuseBroadcasts(r.rollback.reason.split('\n')[0] ?? ''), 300)}`;
  }
  return line;
}

/** `/release list`: the active releases, one short line each. */
export function listText(releases: readonly Release[], options: TextOptions): string {
  const active = releases.filter((r) => !FINAL_STATES.includes(r.state));
  if (active.length === 0) return 'No active releases.';
  const lines = active.map((r) => {
    const stage = r.stageIndex >= 0 ? ` (stage ${r.stageIndex + 1}/${r.plan.stages.length})` : '';
    const link = cardLink(r, options.linkBase);
    const traffic = trafficWords(r);
    return `• *${r.service}* ${r.version} → ${r.environment}: ${stateWords(r.state)}${stage}${traffic ? `, ${traffic}` : ''}, by ${mention(r.requester)}${link ? ` · ${link}` : ''}`;
  });
  return fitLines(['*Active releases*', ...lines], MAX, more('releases'));
}

export const HISTORY_LIMIT = 20;

/** `/release history [service]`: the last 20 finished releases, newest first. */
export function historyText(
  releases: readonly Release[],
  options: TextOptions & { service?: string },
): string {
  const finished = releases
    .filter((r) => FINAL_STATES.includes(r.state) && (!options.service || r.service === options.service))
    .sort((a, b) => (b.endedAt ?? b.updatedAt).localeCompare(a.endedAt ?? a.updatedAt))
    .slice(0, HISTORY_LIMIT);
  const scope = options.service ? ` of *${escapeMrkdwn(options.service)}*` : '';
  if (finished.length === 0) return `No finished releases${scope} yet.`;
  const lines = finished.map((r) => {
    const link = cardLink(r, options.linkBase);
    const state = r.dryRun ? 'Dry run (nothing was deployed)' : outcomeWords(r);
    return `• *${r.service}* ${r.version} → ${r.environment} — ${state} · ${utc(r.endedAt ?? r.updatedAt)} · took ${elapsed(r, options.now)}${link ? ` · ${link}` : ''}`;
  });
  return fitLines([`*Last ${finished.length} finished releases${scope}*`, ...lines], MAX, more('releases'));
}

/** "↩️ Rolled back to v1.3.0: gate …", not "↩️ Rolled back: Rolled back to v1.3.0: gate …". */
export function outcomeWords(r: Release): string {
  const state = stateWords(r.state);
  const outcome = truncate(defuseBroadcasts(r.outcome?.split('\n')[0] ?? ''), 140);
  if (!outcome) return state;
  const words = state.slice(STATE_EMOJI[r.state].length + 1);
  return outcome.toLowerCase().startsWith(words.toLowerCase())
    ? `${STATE_EMOJI[r.state]} ${outcome}`
    : `${state}: ${outcome}`;
}

/**
 * `/release audit <id>`: the trail, oldest first. When it is too long the middle goes: who started it
 * and who approved it stay on top, the newest entries at the bottom, the export has the rest.
 */
export function auditText(releaseId: string, entries: readonly AuditEntry[]): string {
  const id = escapeMrkdwn(releaseId);
  if (entries.length === 0) return `No audit entries for release \`${id}\`.`;
  const lines = entries.map(auditLine);
  const title = `*Audit trail of \`${id}\`* (times UTC, newest last)`;
  const more = (n: number) => `…${n} entries in between (npx runway audit export)`;
  return `${title}\n${fitMiddle(lines, MAX - title.length - 1, auditHead(entries), more)}`;
}

/** Entries looked at for the start and the approvals; those come first in a release. */
const AUDIT_HEAD_SCAN = 10;
const APPROVAL_ACTIONS = new Set(['release.approved', 'release.rejected']);

/** How many entries the trail keeps on top: through the last early approval, else the first three. */
function auditHead(entries: readonly AuditEntry[]): number {
  const early = entries.slice(0, AUDIT_HEAD_SCAN).map((e) => APPROVAL_ACTIONS.has(e.action));
  const last = early.lastIndexOf(true);
  return last >= 0 ? last + 1 : 3;
}

function auditLine(e: AuditEntry): string {
  const details = e.details ? compactDetails(e.details) : '';
  return `\`${utc(e.at, { seconds: true }).replace(' UTC', '')}\` ${actorName(e.actor)} *${escapeMrkdwn(e.action)}*${details ? ` ${details}` : ''}`;
}

/** `key=value` pairs, each value cut short: the whole entry is one line. */
export function compactDetails(details: Record<string, unknown>): string {
  const pairs = Object.entries(details)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => {
      const value = typeof v === 'string' ? v : JSON.stringify(v);
      return `${k}=${truncate(value.replace(/\s+/g, ' '), 80)}`;
    });
  return defuseBroadcasts(truncate(pairs.join(' '), 240));
}

/** The freezes in force. */
export function freezesText(freezes: Record<string, FreezeInfo>): string {
  const scopes = Object.keys(freezes).sort((a, b) =>
    a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b),
  );
  if (scopes.length === 0) return 'No freezes: releases may start (within their windows).';
  const lines = scopes.map((scope) => `• ${freezeLine(scope, freezes[scope]!)}`);
  return fitLines(['*Freezes* (hotfixes may still start)', ...lines], MAX, more('freezes'));
}

export function freezeLine(scope: string, f: FreezeInfo): string {
  const what = scope === 'all' ? '*all services*' : `*${escapeMrkdwn(scope)}*`;
  const reason = f.reason ? `: ${truncate(escapeMrkdwn(f.reason), 300)}` : '';
  return `🧊 ${what} frozen by ${actorName(f.by)} since ${utc(f.at)}${reason}`;
}
