// Words shared by the incident card, its messages and the postmortem: severity labels, status words,
// paging status, the channel link and the incident's age.
import type { Severity } from '../../release/types.ts';
import { formatDuration } from '../../config/duration.ts';
import type { Incident, IncidentStatus, PagingState } from '../../incidents/types.ts';
import { escapeMrkdwn } from '../blockkit.ts';
import { SEVERITY_MATRIX } from './help.ts';
import { permalink, utc } from './format.ts';

/** "sev2 (High)". */
export function severityLabel(severity: Severity): string {
  const level = SEVERITY_MATRIX.find((s) => s.severity === severity);
  return level ? `${severity} (${level.name})` : severity;
}

export const SEVERITY_EMOJI: Record<Severity, string> = { sev1: '🔴', sev2: '🟠', sev3: '🟡', sev4: '🔵' };

export const STATUS_WORDS: Record<IncidentStatus, string> = {
  declared: '🚨 Declared',
  acknowledged: '✋ Acknowledged',
  resolved: '✅ Resolved',
};

/** "<#C123>": Slack shows the channel's current name. */
export function channelLink(incident: Pick<Incident, 'channelId'>): string {
  return `<#${incident.channelId}>`;
}

export function commanderText(incident: Incident): string {
  if (incident.commander) return `<@${incident.commander}>`;
  return incident.status === 'resolved'
    ? '_nobody took command_'
    : '_nobody yet: Acknowledge to take command_';
}

/** How long it has been open (or was, once resolved). */
export function incidentDuration(incident: Incident, now: Date): string {
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now.getTime();
  return formatDuration(Math.max(0, end - Date.parse(incident.startedAt)));
}

export function pagingText(paging: PagingState): string {
  const via =
    paging.via === 'pagerduty'
      ? 'PagerDuty'
      : paging.via
        ? `the ${paging.via} page action`
        : 'the page action';
  switch (paging.status) {
    case 'not_needed':
      return 'not paged (sev3 and sev4 do not page)';
    case 'not_configured':
      return 'not paged: the runbook has no `page` action';
    case 'pending':
      return `⏳ paging through ${via}…`;
    case 'retrying':
      return `⚠️ paging through ${via} failed ${paging.attempts}×, retrying`;
    case 'paged':
      return `📟 paged through ${via}${paging.at ? ` at ${utc(paging.at)}` : ''}`;
    case 'failed':
      return `❌ paging through ${via} failed: page the on-call by hand`;
  }
}

/** "<permalink|checkout v1.2.3 → production>" for a linked release, or null. */
export function releaseLinkText(incident: Incident, linkBase?: string): string | null {
  const r = incident.release;
  if (!r) return null;
  const label = escapeMrkdwn(`${r.service} ${r.version} → ${r.environment}`);
  return r.card ? `<${permalink(r.card, linkBase)}|${label}>` : `${label} (\`${escapeMrkdwn(r.id)}\`)`;
}
