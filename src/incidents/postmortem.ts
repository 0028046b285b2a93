// The postmortem draft posted when an incident is resolved, in the shape of the reference runbooks'
// template (date, duration, severity, impact, timeline, root cause, resolution, action items,
// prevention, lessons learned). What Runway knows is filled in — the timeline from the audit log, the
// release and its rollback reason — and the rest is left as prompts for the people who were there.
import { formatDuration } from '../config/duration.ts';
import type { Release } from '../release/types.ts';
import type { AuditEntry } from '../store/audit-entry.ts';
import { SEVERITY_MATRIX } from '../slack/views/help.ts';
import { buildTimeline, plainStyle, slackStyle, type TextStyle, type TimelineEntry } from './timeline.ts';
import type { Incident } from './types.ts';

export interface PostmortemInput {
  incident: Incident;
  /** The incident's audit entries and, when it came from a release, the release's. */
  entries: readonly AuditEntry[];
  /** The linked release as it is now, when there is one. */
  release?: Release | null;
  now: Date;
}

export interface Postmortem {
  title: string;
  id: string;
  date: string;
  duration: string;
  severity: string;
  impact: string[];
  timeline: TimelineEntry[];
  rootCause: string[];
  resolution: string;
  actionItems: string[];
  prevention: string[];
  lessons: string;
}

const toFill = (what: string) => `_${what}_`;

export function buildPostmortem(input: PostmortemInput, style: TextStyle = plainStyle): Postmortem {
  const { incident: i, release } = input;
  const end = i.resolvedAt ?? input.now.toISOString();
  const level = SEVERITY_MATRIX.find((s) => s.severity === i.severity);
  const r = release ?? null;
  const what = r ? `${r.service} ${r.version} in ${r.environment}` : null;
  const impact = [
    ...(what ? [`Release ${style.text(what)}: ${style.text(r?.outcome ?? 'see the timeline')}`] : []),
    `Users affected: ${toFill('to fill in (how many, which regions or plans)')}`,
    `Services impacted: ${what ? style.text(r?.service ?? '') : toFill('to fill in')}`,
    `Data loss: ${toFill('yes / no')}`,
  ];
  const rootCause = [
    ...(i.reason ? [`Trigger: ${style.text(i.reason)}`] : []),
    `Technical explanation: ${toFill('what failed and why it was not caught before production')}`,
  ];
  const actionItems = [
    ...(r
      ? [
          `[ ] Fix the regression in ${style.text(`${r.service} ${r.version}`)} before releasing it again — Owner: ${toFill('team/person')} — Due: ${toFill('date')}`,
        ]
      : []),
    `[ ] ${toFill('Preventive measure')} — Owner: ${toFill('team/person')} — Due: ${toFill('date')}`,
    `[ ] Update the runbook with what this incident taught — Owner: ${toFill('team/person')} — Due: ${toFill('date')}`,
  ];
  const prevention = [
    ...(r && Object.keys(r.plan.gates).length > 0
      ? [
          `Review the gates (${style.text(Object.keys(r.plan.gates).join(', '))}): would a tighter threshold or a longer hold have caught it earlier?`,
        ]
      : []),
    toFill('How will we prevent this in the future (tests, monitoring, alerting)?'),
  ];
  return {
    title: style.text(i.title),
    id: i.id,
    date: i.startedAt.slice(0, 10),
    duration: `${formatDuration(Math.max(0, Date.parse(end) - Date.parse(i.startedAt)))} (${hhmm(i.startedAt)} to ${i.resolvedAt ? hhmm(i.resolvedAt) : 'now'} UTC)`,
    severity: `${i.severity}${level ? ` (${level.name}: ${level.meaning})` : ''}`,
    impact,
    timeline: buildTimeline(input.entries, style),
    rootCause,
    resolution: i.summary
      ? style.text(i.summary)
      : toFill('What did we do to fix it? (no summary was given at resolve)'),
    actionItems,
    prevention,
    lessons: toFill('Key takeaways (blameless)'),
  };
}

function hhmm(iso: string): string {
  return iso.slice(11, 16);
}

/** "14:03:07" when every entry is on the incident's day, else "2026-11-24 14:03:07". */
function timeOf(at: string, day: string): string {
  return at.slice(0, 10) === day ? at.slice(11, 19) : `${at.slice(0, 10)} ${at.slice(11, 19)}`;
}

/** The draft as a markdown file (when it is too long for a message). */
export function postmortemMarkdown(input: PostmortemInput): string {
  const pm = buildPostmortem(input, plainStyle);
  const list = (lines: readonly string[]) => lines.map((l) => `- ${l}`).join('\n');
  return [
    `# Postmortem: ${pm.title}`,
    '',
    `**Incident**: ${pm.id}  `,
    `**Date**: ${pm.date}  `,
    `**Severity**: ${pm.severity}  `,
    `**Duration**: ${pm.duration}`,
    '',
    '## Impact',
    list(pm.impact),
    '',
    '## Timeline (UTC)',
    pm.timeline.length
      ? list(pm.timeline.map((t) => `${timeOf(t.at, pm.date)} — ${t.text}`))
      : '- _no audit entries_',
    '',
    '## Root cause',
    list(pm.rootCause),
    '',
    '## Resolution',
    pm.resolution,
    '',
    '## Action items',
    pm.actionItems.map((a, n) => `${n + 1}. ${a}`).join('\n'),
    '',
    '## Prevention',
    list(pm.prevention),
    '',
    '## Lessons learned',
    pm.lessons,
    '',
  ].join('\n');
}

/** The draft as Slack mrkdwn (posted as a message when it fits). */
export function postmortemMrkdwn(input: PostmortemInput): string {
  const pm = buildPostmortem(input, slackStyle);
  const list = (lines: readonly string[]) => lines.map((l) => `• ${l}`).join('\n');
  return [
    `*📝 Postmortem draft: ${pm.title}*`,
    `*Date* ${pm.date} · *Severity* ${pm.severity} · *Duration* ${pm.duration}`,
    '',
    '*Impact*',
    list(pm.impact),
    '',
    '*Timeline* (UTC)',
    pm.timeline.length
      ? list(pm.timeline.map((t) => `\`${timeOf(t.at, pm.date)}\` ${t.text}`))
      : '• _no audit entries_',
    '',
    '*Root cause*',
    list(pm.rootCause),
    '',
    '*Resolution*',
    pm.resolution,
    '',
    '*Action items*',
    pm.actionItems.map((a, n) => `${n + 1}. ${a}`).join('\n'),
    '',
    '*Prevention*',
    list(pm.prevention),
    '',
    '*Lessons learned*',
    pm.lessons,
  ].join('\n');
}

/** The summary posted with an uploaded draft. */
export function postmortemSummary(input: PostmortemInput): string {
  const pm = buildPostmortem(input, slackStyle);
  return `📝 *Postmortem draft: ${pm.title}* — ${pm.severity.split(' (')[0]}, ${pm.duration}. ${pm.timeline.length} timeline entries from the audit log. Too long for a message: the full draft is attached as markdown; fill in impact, root cause, action items and prevention.`;
}
