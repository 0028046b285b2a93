// The incident's messages other than its card: the announcement in the incidents channel, the line in
// the release thread, updates, acknowledgements, reminders, paging news, and the `/incident list` reply.
import { formatDuration } from '../../config/duration.ts';
import type { Incident, IncidentUpdate } from '../../incidents/types.ts';
import { LIMITS, escapeMrkdwn, truncate } from '../blockkit.ts';
import { fitLines } from './blocks.ts';
import {
  channelLink,
  commanderText,
  incidentDuration,
  releaseLinkText,
  SEVERITY_EMOJI,
  severityLabel,
} from './incident-format.ts';
import { actorName, utc } from './format.ts';

const clean = (text: string, max: number) => truncate(escapeMrkdwn(text), max);

/** Posted in the incidents channel when an incident is declared. */
export function announcementText(i: Incident, linkBase?: string): string {
  const release = releaseLinkText(i, linkBase);
  return truncate(
    [
      `${SEVERITY_EMOJI[i.severity]} *${i.severity.toUpperCase()} incident declared:* ${clean(i.title, 300)}`,
      `Join ${channelLink(i)} · severity ${severityLabel(i.severity)} · declared by ${actorName(i.declaredBy)} · commander ${commanderText(i)}`,
      release ? `Release: ${release}` : null,
    ]
      .filter(Boolean)
      .join('\n'),
    LIMITS.messageText,
  );
}

/** Posted in the incident channel, and in the thread of the announcement, when the incident is resolved. */
export function resolvedText(i: Incident, now: Date, where: 'incident channel' | 'announcement'): string {
  const next =
    where === 'incident channel'
      ? 'The postmortem draft follows.'
      : `The postmortem draft is in ${channelLink(i)}.`;
  return truncate(
    `✅ *Resolved* by ${actorName(i.resolvedBy ?? 'runway')} after ${incidentDuration(i, now)}${i.summary ? `: ${clean(i.summary, 1500).replace(/[.!?]+$/, '')}` : ''}. ${next}`,
    LIMITS.messageText,
  );
}

/** Posted in the release thread, linking it to the incident. */
/** The incident channel's topic (Slack allows 250 characters, plain text). */
export function topicText(i: Incident): string {
  const release = i.release ? ` · ${i.release.service} ${i.release.version} → ${i.release.environment}` : '';
  const head = `${i.severity.toUpperCase()} incident${release} · declared ${utc(i.startedAt)} · `;
  return truncate(`${head}${i.title.replace(/\s+/g, ' ')}`, 250);
}

export function releaseThreadText(i: Incident): string {
  return `🚨 ${i.severity.toUpperCase()} incident declared for this release: ${channelLink(i)} — ${clean(i.title, 300)}`;
}

export function updateText(u: IncidentUpdate): string {
  return truncate(`📣 *Update* from <@${u.by}>:\n${clean(u.text, 2800)}`, LIMITS.messageText);
}

export function acknowledgedText(i: Incident): string {
  return `✋ <@${i.acknowledgedBy ?? ''}> acknowledged the incident. Commander: ${commanderText(i)}.`;
}

export function reminderText(i: Incident, sinceMs: number): string {
  const who = i.commander ? `<@${i.commander}>` : 'Whoever leads this';
  return `⏰ No update on this sev1 for ${formatDuration(sinceMs)}. ${who}, post one: \`/incident update <what changed>\` or the *Post update* button.`;
}

export function pagedText(summary: string): string {
  return `📟 On-call paged: ${clean(summary, 500)}`;
}

export function pageFailedText(summary: string, retrying: { attempt: number; of: number } | null): string {
  return retrying
    ? `⚠️ Paging the on-call failed (attempt ${retrying.attempt} of ${retrying.of}): ${clean(summary, 500)}. Runway keeps trying; the incident is declared either way.`
    : `❌ Paging the on-call failed for good: ${clean(summary, 500)}. *Page them by hand.*`;
}

/** `/incident list`: open incidents, oldest first. */
export function incidentListText(incidents: readonly Incident[], now: Date): string {
  if (incidents.length === 0) return 'No open incidents.';
  const lines = incidents.map(
    (i) =>
      `${SEVERITY_EMOJI[i.severity]} *${i.severity}* ${channelLink(i)} ${clean(i.title, 150)} · ${i.status} · commander ${commanderText(i)} · open ${incidentDuration(i, now)}`,
  );
  return fitLines(
    [`*Open incidents* (${incidents.length})`, ...lines],
    LIMITS.messageText,
    (n) => `…and ${n} more`,
  );
}
