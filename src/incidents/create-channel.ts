// Creates the incident channel: `inc-YYYYMMDD-<slug>`, then `-2`, `-3`, … while Slack answers
// `name_taken` (or Runway already has an incident of that name). Slack's channel namespace is the
// arbiter: two declarations racing for one name cannot both get it.
import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from '../slack/slack-errors.ts';

const MAX_ATTEMPTS = 50;

export async function createIncidentChannel(
  client: WebClient,
  nameFor: (attempt: number) => string,
  isKnown: (name: string) => Promise<boolean>,
): Promise<{ id: string; name: string }> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const name = nameFor(attempt);
    if (await isKnown(name)) continue;
    try {
      const created = await client.conversations.create({ name });
      const id = created.channel?.id;
      if (!id) throw new Error('conversations.create returned no channel id');
      return { id, name: created.channel?.name ?? name };
    } catch (error) {
      if (slackErrorCode(error) === 'name_taken') continue;
      throw error;
    }
  }
  throw new Error(
    `no free incident channel name after ${MAX_ATTEMPTS} tries (last: ${nameFor(MAX_ATTEMPTS)})`,
  );
}
