// The shift handoff (SPEC section 7): releases since the last handoff, open incidents, freezes, paused
// releases and the handoff checklist, posted to the on-call channel on `handoff.schedule` and on
// `/handoff`. Pure: what Runway knows in, one message out.
import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { Incident } from '../../incidents/types.ts';
import type { Release } from '../../release/types.ts';
import type { FreezeInfo } from '../../store/release-store.ts';
import { LIMITS, escapeMrkdwn, fitBlocks, truncate } from '../blockkit.ts';
import { context, fitLines, header, section } from './blocks.ts';
import { actorName, cardLink, stateWords, utc } from './format.ts';
import { channelLink, commanderText, incidentDuration, SEVERITY_EMOJI } from './incident-format.ts';
import { linkLines } from './handoff-release.ts';
import { freezeLine } from './release-text.ts';
import type { IncidentFreeze } from '../../release/start-guards.ts';
import { withUserMentions } from '../people.ts';

export interface ShiftHandoffInput {
  now: Date;
  /** The runbook's `handoff.timezone`: the header and every time in the handoff are in it. */
  timezone: string;
  /** When the last shift handoff was posted (ISO), or null for the first. */
  since: string | null;
  /** Releases that ended since then, any order. */
  finished: readonly Release[];
  /** Releases still under way (any non-final state). */
  active: readonly Release[];
  incidents: readonly Incident[];
  freezes: Record<string, FreezeInfo>;
  /** Targets whose starts an open incident freezes (`freeze_on_incident`). */
  incidentFreezes?: readonly IncidentFreeze[];
  checklist: readonly string[];
  links: Record<string, string>;
  /** Who asked: a user for /handoff, null for the schedule. */
  by: string | null;
  /** `/handoff preview`: shown to `by` only, nothing posted. */
  preview?: boolean;
  linkBase?: string;
}

export function shiftHandoffMessage(input: ShiftHandoffInput): { text: string; blocks: KnownBlock[] } {
  const when = localTime(input.now, input.timezone);
  const at = (iso: string) => localTime(new Date(iso), input.timezone, { zone: false });
  const paused = input.active.filter((r) => r.state === 'paused');
  const inFlight = input.active.filter((r) => r.state !== 'paused');
  const finished = [...input.finished].sort((a, b) => (a.endedAt ?? '').localeCompare(b.endedAt ?? ''));
  const sinceText = input.since ? `since the last handoff (${at(input.since)})` : 'in the last 24 hours';
  const max = LIMITS.sectionText;
  const more = (what: string) => (n: number) => `…and ${n} more ${what}`;
  const blocks: KnownBlock[] = [
    header(`🔄 Shift handoff — ${when}`, 'shift-header'),
    section(
      fitLines(
        [
          `*Releases ${sinceText}* (${finished.length})`,
          ...(finished.length ? finished.map((r) => `• ${releaseLine(r, at, input.linkBase)}`) : ['_None._']),
        ],
        max,
        more('releases'),
      ),
      'shift-releases',
    ),
  ];
  if (inFlight.length > 0) {
    blocks.push(
      section(
        fitLines(
          [
            `*In flight* (${inFlight.length})`,
            ...inFlight.map((r) => `• ${releaseLine(r, at, input.linkBase)}`),
          ],
          max,
          more('releases'),
        ),
        'shift-in-flight',
      ),
    );
  }
  blocks.push(
    section(
      fitLines(
        [
          `*Open incidents* (${input.incidents.length})`,
          ...(input.incidents.length
            ? input.incidents.map((i) => `• ${incidentLine(i, input.now)}`)
            : ['_None._ 🎉']),
        ],
        max,
        more('incidents'),
      ),
      'shift-incidents',
    ),
    section(
      fitLines(
        ['*Freezes*', ...freezeLines(input.freezes, input.incidentFreezes ?? [])],
        max,
        more('freezes'),
      ),
      'shift-freezes',
    ),
    section(
      fitLines(
        [
          `*Paused releases* (${paused.length})`,
          ...(paused.length ? paused.map((r) => `• ${pausedLine(r, at, input.linkBase)}`) : ['_None._']),
        ],
        max,
        more('releases'),
      ),
      'shift-paused',
    ),
    section(
      fitLines(
        ['*Handoff checklist*', ...input.checklist.map((c) => `☐ ${escapeMrkdwn(c)}`)],
        max,
        more('items'),
      ),
      'shift-checklist',
    ),
  );
  const links = linkLines(input.links);
  if (links.length > 0)
    blocks.push(
      section(fitLines(['*Monitoring*', ...links.map((l) => `• ${l}`)], max, more('links')), 'shift-links'),
    );
  blocks.push(
    context(
      [
        input.preview
          ? 'Preview: only you see this; `/handoff` posts it to the on-call channel.'
          : input.by
            ? `Posted by ${actorName(input.by)} with \`/handoff\``
            : 'Posted on the handoff schedule',
        `Times in ${input.timezone}`,
      ],
      'shift-context',
    ),
  );
  const text = truncate(
    `Shift handoff — ${when}: ${finished.length} release(s) since the last handoff, ${input.incidents.length} open incident(s), ${paused.length} paused release(s), ${Object.keys(input.freezes).length} freeze(s).`,
    LIMITS.messageText,
  );
  return { text, blocks: fitBlocks(blocks, 'message') };
}

/** "2026-11-24 09:00 Europe/Paris" (without the zone's name with `zone: false`). */
export function localTime(now: Date, timezone: string, options: { zone?: boolean } = {}): string {
  const local = DateTime.fromJSDate(now).setZone(timezone);
  if (!local.isValid) return utc(now.toISOString());
  return `${local.toFormat('yyyy-LL-dd HH:mm')}${options.zone === false ? '' : ` ${timezone}`}`;
}

function releaseLine(r: Release, at: (iso: string) => string, linkBase?: string): string {
  const link = cardLink(r, linkBase);
  const outcome =
    r.outcome && r.state !== 'completed'
      ? ` — ${truncate(withUserMentions(escapeMrkdwn(r.outcome)), 200)}`
      : '';
  return `${stateWords(r.state)} *${escapeMrkdwn(`${r.service} ${r.version}`)}* → ${escapeMrkdwn(r.environment)} by ${actorName(r.requester)}${r.endedAt ? ` at ${at(r.endedAt)}` : ''}${outcome}${link ? ` (${link})` : ''}`;
}

function pausedLine(r: Release, at: (iso: string) => string, linkBase?: string): string {
  const link = cardLink(r, linkBase);
  const why = r.pause
    ? ` by ${actorName(r.pause.by)} since ${at(r.pause.at)}: ${truncate(withUserMentions(escapeMrkdwn(r.pause.reason)), 300)}`
    : '';
  return `⏸️ *${escapeMrkdwn(`${r.service} ${r.version}`)}* → ${escapeMrkdwn(r.environment)}${why}${link ? ` (${link})` : ''}`;
}

function incidentLine(i: Incident, now: Date): string {
  return `${SEVERITY_EMOJI[i.severity]} *${i.severity}* ${channelLink(i)} ${truncate(escapeMrkdwn(i.title), 150)} · ${i.status} · commander ${commanderText(i)} · open ${incidentDuration(i, now)}`;
}

function freezeLines(freezes: Record<string, FreezeInfo>, byIncident: readonly IncidentFreeze[]): string[] {
  const scopes = Object.keys(freezes).sort((a, b) =>
    a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b),
  );
  const lines = [
    ...scopes.map((s) => `• ${freezeLine(s, freezes[s]!)}`),
    ...byIncident.map(
      (f) =>
        `• *${f.service}* ${f.environment}: frozen while ${f.incident.severity} ${channelLink(f.incident)} is open (freeze_on_incident: ${f.setting}; --hotfix overrides)`,
    ),
  ];
  return lines.length ? lines : ['_None: releases may start (within their windows)._'];
}
