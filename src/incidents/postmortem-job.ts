// Posts the postmortem draft of a resolved incident in its channel: as a message when it fits in one
// section, else uploaded as a markdown file (files.getUploadURLExternal, the bytes, then
// files.completeUploadExternal — what WebClient's files.uploadV2 does) with a summary.
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
  if (incident.postmortem) return 'already posted';
  const entries = [
    ...(await deps.audit.forIncident(incident.id)),
    ...(incident.release ? await deps.audit.forRelease(incident.release.id) : []),
  ];
  const release = incident.release ? await deps.releases.get(incident.release.id) : null;
  const input: PostmortemInput = { incident, entries, release, now: deps.now() };
  const text = postmortemMrkdwn(input);
  let file: string | undefined;
  if (text.length <= LIMITS.sectionText) {
    await deps.client.chat.postMessage({
      channel: incident.channelId,
      text: `Postmortem draft: ${incident.title}`.slice(0, LIMITS.messageText),
      blocks: [section(text, 'postmortem')],
      unfurl_links: false,
    });
  } else {
    file = `postmortem-${incident.id}.md`;
    await deps.client.files.uploadV2({
      channel_id: incident.channelId,
      filename: file,
      title: `Postmortem draft: ${incident.title}`,
      content: postmortemMarkdown(input),
      initial_comment: postmortemSummary(input),
    });
  }
  const at = deps.now().toISOString();
  await deps.incidents.mutate(incident.id, (i) => ({ ...i, postmortem: { at, ...(file ? { file } : {}) } }));
  await deps.audit.append({
    actor: 'runway',
    action: 'incident.postmortem_posted',
    incidentId: incident.id,
    ...(incident.release ? { releaseId: incident.release.id } : {}),
    details: { ...(file ? { file } : { as: 'message' }), timeline: entries.length },
  });
  return file ? 'uploaded' : 'posted';
}
