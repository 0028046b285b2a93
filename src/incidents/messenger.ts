// Everything an incident says in Slack: its card (posted once, then edited in place), lines in its
// channel, the announcement in the incidents channel and the link in the release thread.
import { incidentCard } from '../slack/views/incident-card.ts';
import { truncate } from '../slack/blockkit.ts';
import { linkBase } from '../slack/workspace-url.ts';
import type { IncidentDeps } from './deps.ts';
import type { Incident } from './types.ts';

type MessengerDeps = Pick<IncidentDeps, 'client' | 'incidents' | 'log' | 'now'>;

export class IncidentMessenger {
  constructor(private readonly deps: MessengerDeps) {}

  /** Posts the card unless it exists; returns the incident with `card` set. */
  async postCard(incident: Incident): Promise<Incident> {
    if (incident.card) return incident;
    const view = incidentCard(incident, { now: this.deps.now(), linkBase: await linkBase(this.deps.client) });
    const posted = await this.deps.client.chat.postMessage({
      channel: incident.channelId,
      text: view.text,
      blocks: view.blocks,
      unfurl_links: false,
    });
    if (!posted.ts) throw new Error('chat.postMessage returned no ts for the incident card');
    const card = { channel: posted.channel ?? incident.channelId, ts: posted.ts };
    const saved = await this.deps.incidents.mutate(incident.id, (i) => ({ ...i, card }));
    return saved.ok ? saved.incident : { ...incident, card };
  }

  /** Re-renders the card from the stored incident (the latest state wins whoever calls). */
  async refreshCard(incidentId: string): Promise<void> {
    const incident = await this.deps.incidents.get(incidentId);
    if (!incident?.card) return;
    const view = incidentCard(incident, { now: this.deps.now(), linkBase: await linkBase(this.deps.client) });
    try {
      await this.deps.client.chat.update({
        channel: incident.card.channel,
        ts: incident.card.ts,
        text: view.text,
        blocks: view.blocks,
      });
    } catch (error) {
      // The card is a convenience; the channel messages and the audit log carry the facts.
      this.deps.log.warn(
        { incidentId, err: error instanceof Error ? error.message : String(error) },
        'could not update the incident card',
      );
    }
  }

  /** A line in the incident channel (or in a thread of another channel). */
  async say(channel: string, text: string, threadTs?: string): Promise<string | undefined> {
    const posted = await this.deps.client.chat.postMessage({
      channel,
      text: truncate(text, 3000),
      unfurl_links: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return posted.ts;
  }
}
