// Slack's chat.postMessage has no idempotency key: a post whose answer was lost (a 5xx, a timeout, a
// crash) may or may not be in the channel. This looks: the bot's message since the attempt whose text
// starts with the post's. Used before posting again, by the lanes and by postNow.
import type { WebClient } from '@slack/web-api';

/** The bot's message in `channel` (or under `threadTs`) since `sinceMs` starting with `text`, or null. */
export async function findPosted(
  client: WebClient,
  where: { channel: string; threadTs?: string | undefined },
  text: string,
  sinceMs: number,
): Promise<{ ts: string; text: string } | null> {
  const { channel, threadTs } = where;
  const oldest = (sinceMs / 1000 - 1).toFixed(6);
  const page = threadTs
    ? await client.conversations.replies({ channel, ts: threadTs, oldest, limit: 100 })
    : await client.conversations.history({ channel, oldest, limit: 100 });
  const found = (page.messages ?? []).find((m) => m.bot_id && m.ts !== threadTs && m.text?.startsWith(text));
  return found?.ts ? { ts: found.ts, text: found.text ?? '' } : null;
}
