// Everything an incident says in Slack: its card (posted once, then edited in place), lines in its
// channel, the announcement in the incidents channel and the link in the release thread — all
// through the delivery layer, at each channel's pace.
import { createHash, randomUUID } from 'node:crypto';
import { incidentCard } from '../slack/views/incident-card.ts';
import { truncate } from '../slack/blockkit.ts';
import { linkBase } from '../slack/workspace-url.ts';
import type { IncidentDeps } from './deps.ts';
import type { Post } from '../slack/delivery/types.ts';
import type { Incident } from './types.ts';

type MessengerDeps = Pick<IncidentDeps, 'client' | 'delivery' | 'incidents' | 'log' | 'now'>;

export class IncidentMessenger {
  constructor(private readonly deps: MessengerDeps) {
    deps.delivery.renderCards('incident', (id) => this.renderCard(id));
  }

  /** Posts the card unless it exists; returns the incident with `card` set. */
  async postCard(incident: Incident): Promise<Incident> {
    if (incident.card) return incident;
    const view = incidentCard(incident, { now: this.deps.now(), linkBase: await linkBase(this.deps.client) });
    const card = await this.deps.delivery.postNow({
      key: `incident-${incident.id}-card`,
      channel: incident.channelId,
      text: view.text,
      blocks: view.blocks,
    });
    const saved = await this.deps.incidents.mutate(incident.id, (i) => ({ ...i, card }));
    return saved.ok ? saved.incident : { ...incident, card };
  }

  /** Re-renders the card from the stored incident when its turn in the card-edit budget comes. */
  async refreshCard(incidentId: string): Promise<void> {
    await this.deps.delivery.cardChanged(`incident-${incidentId}`, randomUUID());
  }

  /** The announcement in the incidents channel: posted now, its place kept on the incident. */
  async announce(incidentId: string, channel: string, text: string): Promise<string> {
    const key = `incident-${incidentId}-announcement`;
    const posted = await this.deps.delivery.postNow({ key, channel, text: truncate(text, 3000) });
    return posted.ts;
  }

  /** A line in the incident channel (or in a thread of another channel), queued in its lane. */
  async say(channel: string, text: string, thread?: Post['thread'], key?: string): Promise<void> {
    await this.deps.delivery.post({
      key: key ?? `incident-${randomUUID()}`,
      channel,
      text: truncate(text, 3000),
      kind: 'important',
      ...(thread ? { thread } : {}),
    });
  }

  private async renderCard(incidentId: string) {
    const incident = await this.deps.incidents.get(incidentId);
    if (!incident?.card) return null;
    const view = incidentCard(incident, { now: this.deps.now(), linkBase: await linkBase(this.deps.client) });
    const sig = createHash('sha1').update(JSON.stringify(view.blocks)).digest('hex');
    return { ...incident.card, text: view.text, blocks: view.blocks, sig };
  }
}
