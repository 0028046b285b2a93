// The postmortem timeline, built from the audit log: the incident's own entries and those of the
// release it came from, merged, de-duplicated and told in words. Pure.
import { escapeMrkdwn } from '../slack/blockkit.ts';
import { withUserMentions } from '../slack/people.ts';
import { PERSON_TOKEN } from '../release/person.ts';
import type { AuditEntry } from '../store/audit-entry.ts';
import { formatDuration } from '../config/duration.ts';

export interface TimelineEntry {
  at: string;
  text: string;
}

/** How text is written: Slack mrkdwn (typed text escaped, `<@U…>` mentions) or plain markdown (`@U…`). */
export interface TextStyle {
  name: (userId: string) => string;
  text: (typed: string) => string;
  /** Typed text (updates, reasons) is cut to this: short in a message, whole in a file. */
  typedMax: number;
}

export const slackStyle: TextStyle = {
  name: (id) => (id === 'runway' ? 'Runway' : `<@${id}>`),
  // Reasons Runway wrote name people with person() tokens: those become mentions, typed text stays inert.
  text: (t) => withUserMentions(escapeMrkdwn(t)),
  typedMax: 300,
};
export const plainStyle: TextStyle = {
  name: (id) => (id === 'runway' ? 'Runway' : `@${id}`),
  text: (t) => t.replace(PERSON_TOKEN, '@$1'),
  typedMax: 4000,
};

// People are marked (private-use characters) while a sentence is built, the sentence is escaped, then the marks become names:
// typed text can never forge a mention, and Runway's own mentions survive the escaping.
const mark = (id: string) => `\uE000${id}\uE001`;
const MARKED = /\uE000([^\uE001]*)\uE001/g;

/** Entries that are noise in a postmortem (refused clicks are in the audit log for whoever needs them). */
const SKIPPED = /^refused\./;

export function buildTimeline(
  entries: readonly AuditEntry[],
  style: TextStyle = plainStyle,
): TimelineEntry[] {
  const seen = new Set<string>();
  return [...entries]
    .filter((e) => {
      if (seen.has(e.id) || SKIPPED.test(e.action)) return false;
      seen.add(e.id);
      return true;
    })
    .sort((a, b) => a.at.localeCompare(b.at) || compareStreamIds(a.id, b.id))
    .map((e) => ({ at: e.at, text: describeEntry(e, style) }));
}

function compareStreamIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/** A detail as text; control characters (our name marks) are dropped from anything typed. */
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim()
    ? v.replace(/[\uE000\uE001]/g, '').trim()
    : typeof v === 'number'
      ? String(v)
      : undefined;
const flatten = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** One sentence for an audit entry; unknown actions fall back to "action (key=value …) by who". */
export function describeEntry(e: AuditEntry, style: TextStyle = plainStyle): string {
  return style.text(sentence(e, style.typedMax)).replace(MARKED, (_m, id: string) => style.name(id));
}

function sentence(e: AuditEntry, typedMax: number): string {
  const name = mark;
  const oneLine = (text: string, max = typedMax) => flatten(text, Math.min(max, typedMax));
  const d = e.details ?? {};
  const who = name(e.actor);
  const stage = typeof d.stage === 'number' ? `stage ${d.stage + 1}` : 'a stage';
  const label = str(d.label);
  const detail = str(d.detail);
  const reason = str(d.reason);
  switch (e.action) {
    case 'release.started':
      return `Release of ${e.service ?? 'the service'} ${str(d.version) ?? ''} to ${e.environment ?? 'its environment'} started by ${who}`.replace(
        /\s+/g,
        ' ',
      );
    case 'release.approved':
      return `Approved by ${who}${typeof d.count === 'number' ? ` (${d.count}/${String(d.required ?? '?')})` : ''}`;
    case 'release.go':
      return 'Approvals complete: deploying';
    case 'release.rejected':
      return `Rejected by ${who}${reason ? `: ${oneLine(reason)}` : ''}`;
    case 'stage.started':
      return `Stage ${typeof d.stage === 'number' ? d.stage + 1 : '?'} started${label ? `: ${label}` : ''}`;
    case 'stage.done':
      return `Stage ${typeof d.stage === 'number' ? d.stage + 1 : '?'} done${label ? `: ${label}` : ''}`;
    case 'action.finished':
      return `${str(d.action) ?? 'Action'} finished in ${stage}${detail ? `: ${oneLine(detail, 200)}` : ''}`;
    case 'action.failed':
      return `${str(d.action) ?? 'Action'} failed in ${stage}${detail ? `: ${oneLine(detail, 200)}` : ''}`;
    case 'gate.breach':
      return `Gate ${str(d.gate) ?? '?'} breached: ${str(d.value) ?? 'no data'}${str(d.max) ? ` (max ${str(d.max)})` : ''}${str(d.min) ? ` (min ${str(d.min)})` : ''}`;
    case 'gate.sustained_breach':
      return `Breach sustained${reason ? `: ${oneLine(reason)}` : ''}`;
    case 'gate.recovered':
      return `Gate ${str(d.gate) ?? '?'} recovered (${str(d.value) ?? '?'})`;
    case 'rollback.automatic':
      return `Automatic rollback${str(d.toVersion) ? ` to ${str(d.toVersion)}` : ''} started${reason ? `: ${oneLine(reason)}` : ''}`;
    case 'rollback.requested':
      return `Rollback${str(d.toVersion) ? ` to ${str(d.toVersion)}` : ''} requested by ${who}${reason ? `: ${oneLine(reason)}` : ''}`;
    case 'rollback.step_done':
      return `Rollback step ${str(d.step) ?? '?'} done${detail ? `: ${oneLine(detail, 200)}` : ''}`;
    case 'rollback.step_failed':
      return `Rollback step ${str(d.step) ?? '?'} failed${detail ? `: ${oneLine(detail, 200)}` : ''}`;
    case 'rollback.done':
      return `Rolled back${str(d.toVersion) ? ` to ${str(d.toVersion)}` : ''}`;
    case 'rollback.failed':
      return 'Rollback incomplete: a human must take over';
    case 'release.completed':
      return `Release completed${str(d.version) ? `: ${str(d.version)} is live` : ''}`;
    case 'release.paused':
      return `Paused by ${who}${reason ? `: ${oneLine(reason)}` : ''}`;
    case 'release.resumed':
      return `Resumed by ${who}`;
    case 'release.aborted':
      return `Aborted by ${who}${reason ? `: ${oneLine(reason)}` : ''}`;
    case 'preflight.passed':
      return `Pre-flight check ${str(d.item) ?? '?'} passed${detail ? `: ${oneLine(detail, 200)}` : ''}`;
    case 'preflight.failed':
      return `Pre-flight check ${str(d.item) ?? '?'} failed${detail ? `: ${oneLine(detail, 200)}` : ''}`;
    case 'preflight.ticked':
      return `Pre-flight item ${str(d.item) ?? '?'} ticked by ${who}`;
    case 'preflight.unticked':
      return `Pre-flight item ${str(d.item) ?? '?'} unticked by ${who}`;
    case 'preflight.rerun':
      return `Pre-flight checks run again by ${who}`;
    case 'stage.promoted': {
      const skipped =
        typeof d.skippedMs === 'number' && d.skippedMs > 0
          ? `, ${formatDuration(d.skippedMs)} of hold skipped`
          : '';
      return `${capitalised(stage)} promoted by ${who}${skipped}`;
    }
    case 'stage.confirmed':
      return `${capitalised(stage)} confirmed by ${who}${str(d.question) ? ` (${oneLine(str(d.question) ?? '', 200)})` : ''}`;
    case 'release.dry_run':
      return 'Dry run: every stage printed, nothing run';
    case 'release.start_refused':
      return `Start refused for ${who}${reason ? `: ${oneLine(reason)}` : ''}`;
    case 'handoff.release_posted':
      return 'Release handoff posted to on-call';
    case 'handoff.posted':
      return 'Shift handoff posted';
    case 'release.incident_linked':
      return 'Release linked to this incident';
    case 'incident.declared':
      return `Incident declared (${str(d.severity) ?? '?'}) by ${who}${str(d.title) ? `: ${oneLine(str(d.title) ?? '')}` : ''}`;
    case 'incident.acknowledged':
      return `Acknowledged by ${who}${str(d.commander) ? `; commander ${name(str(d.commander) ?? '')}` : ''}`;
    case 'incident.update':
      return `Update from ${who}: ${oneLine(str(d.text) ?? '')}`;
    case 'incident.paged':
      return `On-call paged (${str(d.event) ?? 'trigger'} via ${str(d.via) ?? 'page action'})`;
    case 'incident.page_failed':
      return `Paging failed (${str(d.event) ?? 'trigger'}, attempt ${str(d.attempt) ?? '?'}): ${oneLine(str(d.summary) ?? '', 200)}`;
    case 'incident.statuspage_open':
      return 'Status page incident opened (investigating)';
    case 'incident.statuspage_update':
      return 'Update posted to the status page';
    case 'incident.statuspage_resolve':
      return 'Status page incident resolved';
    case 'incident.statuspage_failed':
      return `Status page ${str(d.event) ?? 'call'} failed (attempt ${str(d.attempt) ?? '?'}): ${oneLine(str(d.summary) ?? '', 200)}`;
    case 'incident.reminder':
      return 'Reminder: no update within the sev1 interval';
    case 'incident.resolved':
      return `Resolved by ${who}${str(d.summary) ? `: ${oneLine(str(d.summary) ?? '')}` : ''}`;
    case 'incident.postmortem_posted':
      return 'Postmortem draft posted';
    default: {
      const pairs = Object.entries(d)
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .map(([k, v]) => `${k}=${oneLine(typeof v === 'string' ? v : JSON.stringify(v), 60)}`)
        .join(' ');
      return `${e.action}${pairs ? ` (${oneLine(pairs, 200)})` : ''} by ${who}`;
    }
  }
}
