// Slack's chat.postMessage has no idempotency key: a post whose answer was lost (a 5xx, a timeout, a
// crash) may or may not be in the channel. This looks: the bot's message newer than the attempt (and
// than the last one known delivered) with exactly the text sent. Used before posting again, by the
// lanes and by postNow. A near match (a prefix, an older identical line) is not it: that would drop a post.
import type { WebClient } from '@slack/web-api';

export interface PostedLook {
  /** Exactly the text the attempt sent. */
  text: string;
  /** When the attempt started (ms); a second earlier counts too, for the clocks' drift. */
  sinceMs: number;
  /** A message known to be delivered before the attempt: only newer ones count. */
  afterTs?: string | undefined;
}

/** The bot's message in `channel` (or under `threadTs`) that the attempt may have made, or null. */
export async function findPosted(
  client: WebClient,
  where: { channel: string; threadTs?: string | undefined },
  look: PostedLook,
): Promise<{ ts: string; text: string } | null> {
  const { channel, threadTs } = where;
  const since = look.sinceMs / 1000 - 1;
  const after = look.afterTs !== undefined ? Number(look.afterTs) : -Infinity;
  // `oldest` is exclusive, as Slack's is: the message at afterTs itself is not it.
  const oldest = after >= since ? look.afterTs! : since.toFixed(6);
  const page = threadTs
    ? await client.conversations.replies({ channel, ts: threadTs, oldest, limit: 100 })
    : await client.conversations.history({ channel, oldest, limit: 100 });
  const want = plain(look.text);
  const found = (page.messages ?? []).find(
    (m) => m.bot_id && m.ts !== threadTs && plain(m.text ?? '') === want,
  );
  return found?.ts ? { ts: found.ts, text: found.text ?? '' } : null;
}

/** Slack hands text back with &, < and > escaped (outside its <…> links); compare what was meant. */
function plain(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();
}
