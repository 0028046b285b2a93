// Posts the postmortem draft of a resolved incident in its channel: as a message when it fits in one
// section, else as a markdown file with a summary. Both are queued in the channel's lane of the
// delivery layer, keyed by the incident: posted at the channel's pace after the lines before it, tried
// again through 429s and 5xx, and looked for before a retry (a 5xx after Slack took it), so a draft
// is posted once. The retrying WebClient would post it again after such a 5xx.
import { LIMITS } from '../slack/blockkit.ts';
import { section } from '../slack/views/blocks.ts';
import type { IncidentDeps } from './deps.ts';
import {
  postmortemMarkdown,
  postmortemMrkdwn,
  postmortemSummary,
  type PostmortemInput,
} from './postmortem.ts';

export async function runPostmortemJob(deps: IncidentDeps, job: { incidentId: string }): Promise<string> {
  const incident = await deps.incidents.get(job.incidentId);
  if (!incident || incident.status !== 'resolved') return 'not resolved';
  if (incident.postmortem) return 'already queued';
  const entries = [
    ...(await deps.audit.forIncident(incident.id)),
    ...(incident.release ? await deps.audit.forRelease(incident.release.id) : []),
  ];
  const release = incident.release ? await deps.releases.get(incident.release.id) : null;
  const input: PostmortemInput = { incident, entries, release, now: deps.now() };
  const text = postmortemMrkdwn(input);
  const file = text.length <= LIMITS.sectionText ? undefined : `postmortem-${incident.id}.md`;
  const common = {
    // One key per incident: a retried job (or a second resolve) queues nothing new.
    key: `incident-${incident.id}-postmortem`,
    channel: incident.channelId,
    kind: 'important' as const,
    // Audited when Slack has it (the delivery layer's posted hook), not when queued.
    audit: {
      action: 'incident.postmortem_posted',
      incidentId: incident.id,
      ...(incident.release ? { releaseId: incident.release.id } : {}),
      details: { ...(file ? { file } : { as: 'message' }), timeline: entries.length },
    },
  };
  if (!file) {
    await deps.delivery.post({
      ...common,
      text: `Postmortem draft: ${incident.title}`.slice(0, LIMITS.messageText),
      blocks: [section(text, 'postmortem')],
    });
  } else {
    const content = Buffer.from(postmortemMarkdown(input), 'utf8');
    await deps.delivery.upload(
      {
        ...common,
        text: postmortemSummary(input),
        file: { name: file, title: `Postmortem draft: ${incident.title}`, bytes: content.length },
      },
      content,
    );
  }
  const at = deps.now().toISOString();
  await deps.incidents.mutate(incident.id, (i) => ({ ...i, postmortem: { at, ...(file ? { file } : {}) } }));
  return file ? 'file queued' : 'queued';
}
