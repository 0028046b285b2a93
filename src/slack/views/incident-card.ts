// The incident card: the first message of an incident channel, edited in place as the incident moves
// (declared → acknowledged → resolved). Pure: the incident and the time in, Block Kit out.
import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { Incident } from '../../incidents/types.ts';
import { LIMITS, escapeMrkdwn, fitBlocks, truncate } from '../blockkit.ts';
import { actions, button, context, fieldsSection, header, section } from './blocks.ts';
import { utc } from './format.ts';
import {
  SEVERITY_EMOJI,
  STATUS_WORDS,
  commanderText,
  incidentDuration,
  pagingText,
  releaseLinkText,
  severityLabel,
} from './incident-format.ts';

export const INCIDENT_ACTION_IDS = {
  acknowledge: 'incident_acknowledge',
  update: 'incident_update',
  resolve: 'incident_resolve',
} as const;

export const INCIDENT_ACTIONS_BLOCK_ID = 'incident-actions';

export interface IncidentCardOptions {
  now: Date;
  linkBase?: string;
}

export function incidentCard(
  incident: Incident,
  options: IncidentCardOptions,
): { text: string; blocks: KnownBlock[] } {
  const i = incident;
  const resolved = i.status === 'resolved';
  const title = `${resolved ? '✅ Resolved · ' : `${SEVERITY_EMOJI[i.severity]} `}${i.severity.toUpperCase()} · ${i.title}`;
  const fields = [
    `*Severity*\n${severityLabel(i.severity)}`,
    `*Status*\n${STATUS_WORDS[i.status]}`,
    `*Commander*\n${commanderText(i)}`,
    `*Started*\n${utc(i.startedAt)}`,
    `*Release*\n${releaseLinkText(i, options.linkBase) ?? '_none linked_'}`,
    `*Paging*\n${pagingText(i.paging)}`,
  ];
  if (i.acknowledgedAt && i.acknowledgedBy)
    fields.push(`*Acknowledged*\n<@${i.acknowledgedBy}> at ${utc(i.acknowledgedAt)}`);
  if (resolved && i.resolvedAt)
    fields.push(`*Resolved*\n${utc(i.resolvedAt)} after ${incidentDuration(i, options.now)}`);
  const blocks: KnownBlock[] = [header(title, 'incident-header'), fieldsSection(fields, 'incident-fields')];
  if (i.reason)
    blocks.push(section(`*Trigger*\n${truncate(escapeMrkdwn(i.reason), 2000)}`, 'incident-trigger'));
  const latest = i.updates.at(-1);
  if (latest) {
    blocks.push(
      section(
        `*Latest update* (<@${latest.by}>, ${utc(latest.at)})\n${truncate(escapeMrkdwn(latest.text), 2500)}`,
        'incident-latest',
      ),
    );
  }
  if (resolved && i.summary)
    blocks.push(section(`*Resolution*\n${truncate(escapeMrkdwn(i.summary), 2500)}`, 'incident-resolution'));
  blocks.push(
    context(
      [
        resolved
          ? `Incident \`${i.id}\` · the postmortem draft is posted below`
          : `Incident \`${i.id}\` · \`/incident update <text>\` · \`/incident resolve [summary]\``,
      ],
      'incident-context',
    ),
  );
  const buttons = incidentActions(i);
  if (buttons) blocks.push(buttons);
  return { text: cardText(i), blocks: fitBlocks(blocks, 'message') };
}

/** The buttons the incident's status allows: Acknowledge (until someone does), Post update, Resolve. */
export function incidentActions(i: Incident): ActionsBlock | null {
  if (i.status === 'resolved') return null;
  const elements = [];
  if (i.status === 'declared') {
    elements.push(
      button({
        text: 'Acknowledge',
        actionId: INCIDENT_ACTION_IDS.acknowledge,
        value: i.id,
        style: 'primary',
      }),
    );
  }
  elements.push(button({ text: 'Post update', actionId: INCIDENT_ACTION_IDS.update, value: i.id }));
  elements.push(
    // No confirm: the Resolve dialog that the click opens is the one confirmation.
    button({ text: 'Resolve', actionId: INCIDENT_ACTION_IDS.resolve, value: i.id, style: 'danger' }),
  );
  return actions(elements, INCIDENT_ACTIONS_BLOCK_ID);
}

function cardText(i: Incident): string {
  return truncate(
    `${i.severity.toUpperCase()} incident: ${i.title} (${STATUS_WORDS[i.status].replace(/^\S+ /, '').toLowerCase()})`,
    LIMITS.messageText,
  );
}
