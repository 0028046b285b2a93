// `/release help`: every command form of SPEC section 2 and the severity matrix. The matrix uses the
// vocabulary of the reference runbooks (Critical / High / Medium / Low, their rollback decision
// matrices, alert response SLAs); paging follows SPEC section 6 (the `page` action for sev1 and sev2)
// and the sev1 update cadence is Runway's 15-minute reminder.
import type { KnownBlock } from '@slack/types';
import type { Severity } from '../../release/types.ts';
import { LIMITS } from '../blockkit.ts';
import { context, header, section } from './blocks.ts';

/** One line, shown under every error reply to /release. */
export const RELEASE_USAGE =
  'Usage: /release start [service] <version> [to <env>] [--dry-run] [--downgrade] [--hotfix "reason"] [notes…] · status [service] · list · history [service] · rollback [service] [to <version>] [reason…] · pause|resume|abort|promote [service] · freeze|unfreeze [service|all] · audit <release> · stats [service] [--days N] · help';

export const INCIDENT_USAGE =
  'Usage: /incident declare <sev1|sev2|sev3|sev4> <title…> · update <text…> · resolve [summary…] · list';

export const HANDOFF_USAGE =
  'Usage: /handoff (post the shift handoff to on-call now) · /handoff preview (only you see it)';

export interface SeverityLevel {
  severity: Severity;
  /** The reference runbooks' word for it. */
  name: 'Critical' | 'High' | 'Medium' | 'Low';
  meaning: string;
  examples: string;
  response: string;
  pages: boolean;
  updates: string;
  action: string;
}

export const SEVERITY_MATRIX: readonly SeverityLevel[] = [
  {
    severity: 'sev1',
    name: 'Critical',
    meaning: 'site down, data loss or a security breach; 100% of users affected',
    examples: 'auth failure for all users, data corruption, error rate > 5% for 5m',
    response: '15 minutes (mitigate within 5)',
    pages: true,
    updates: 'every 15 minutes (Runway reminds the channel)',
    action: 'immediate full rollback + incident response',
  },
  {
    severity: 'sev2',
    name: 'High',
    meaning: 'a major feature broken for many users',
    examples: 'payment failures, p95 latency > 3s for 10m, an automatic rollback',
    response: '30 minutes',
    pages: true,
    updates: 'every 30 minutes',
    action: 'roll back the affected component, then hotfix',
  },
  {
    severity: 'sev3',
    name: 'Medium',
    meaning: 'a minor feature failing or degraded performance; 10–30% of users',
    examples: 'errors on one API endpoint, a slow page',
    response: '2 hours',
    pages: false,
    updates: 'every 2 hours',
    action: 'feature flag off, hotfix through a canary',
  },
  {
    severity: 'sev4',
    name: 'Low',
    meaning: 'cosmetic or non-critical; under 5% of users, no data loss',
    examples: 'a UI glitch, a typo',
    response: 'next business day',
    pages: false,
    updates: 'when fixed',
    action: 'forward fix in the next release',
  },
];

const RELEASE_FORMS: readonly [string, string][] = [
  [
    '/release start [service] <version> [to <env>] [--dry-run] [--downgrade] [--hotfix "reason"] [notes…]',
    'open a release; `--dry-run` prints every stage and runs nothing; `--hotfix` starts outside windows or during a freeze, including one while an incident is open (the reason is audited); `--downgrade` starts a version older than the live one (audited; a rollback is usually what you want); notes (free text as typed, after the options, ≤ 1,000 characters) go on the card and into the handoff',
  ],
  ['/release status [service]', 'where every active release (or that service’s) stands'],
  ['/release list', 'active releases'],
  ['/release history [service]', 'the last 20 finished releases'],
  [
    '/release stats [service] [--days N]',
    'deployment frequency, change failure rate, time to restore, lead time (default 30 days)',
  ],
  [
    '/release rollback [service] [to <version>] [reason…]',
    'roll back the active release, or the last finished one to its previous version',
  ],
  [
    '/release pause | resume | abort | promote [service]',
    'stop the timers (gates keep watching) · go on · stop without rolling back · skip the rest of a hold or confirm an approval stage',
  ],
  [
    '… <service> in <env>',
    'after rollback, pause, resume, abort or promote: the release in that environment (`/release pause checkout in staging`)',
  ],
  ['/release freeze [service|all] [reason…]', 'block new starts (hotfixes excepted)'],
  ['/release unfreeze [service|all]', 'lift a freeze'],
  ['/release audit <release>', 'the release’s audit trail (the id is at the foot of its card)'],
  ['/release help', 'this help'],
];

const OTHER_FORMS: readonly [string, string][] = [
  ['/incident declare <sev1|sev2|sev3|sev4> <title…>', 'open an incident channel, page for sev1 and sev2'],
  ['/incident update <text…>', 'post an update (in the incident channel)'],
  ['/incident resolve [summary…]', 'close it and post a postmortem draft'],
  ['/incident list', 'open incidents'],
  ['/handoff', 'post the shift handoff to the on-call channel now'],
  ['/handoff preview', 'show the handoff only to you'],
];

const formLines = (forms: readonly [string, string][]) =>
  forms.map(([form, what]) => `\`${form}\` — ${what}`);

export function severityLine(s: SeverityLevel): string {
  return `*${s.severity}* (${s.name}) — ${s.meaning}. _e.g._ ${s.examples}. Respond within ${s.response}; ${
    s.pages ? 'pages on-call' : 'no page'
  }; updates ${s.updates}. ${s.action.charAt(0).toUpperCase()}${s.action.slice(1)}.`;
}

/** The help as blocks (ephemeral reply): usage, incidents and handoffs, the severity matrix. */
export function helpMessage(): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    header('Runway help', 'help-header'),
    section(['*Releases*', ...formLines(RELEASE_FORMS)].join('\n'), 'help-release'),
    section(['*Incidents and handoffs*', ...formLines(OTHER_FORMS)].join('\n'), 'help-incident'),
    section(['*Severity matrix*', ...SEVERITY_MATRIX.map(severityLine)].join('\n'), 'help-severity'),
    context(['A version is v1.2.3 (optional -pre/+build) or a git SHA of 7–40 hex digits.'], 'help-context'),
  ];
  return { text: helpText(), blocks };
}

/** The help as one mrkdwn text, cut to Runway's message limit (usage first, it matters most). */
export function helpText(): string {
  const text = [
    '*Releases*',
    ...formLines(RELEASE_FORMS),
    '',
    '*Incidents and handoffs*',
    ...formLines(OTHER_FORMS),
    '',
    '*Severity matrix*',
    ...SEVERITY_MATRIX.map(severityLine),
  ].join('\n');
  return text.length <= LIMITS.messageText ? text : `${text.slice(0, LIMITS.messageText - 1)}…`;
}
