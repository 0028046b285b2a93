// Where links to messages point: the workspace's own address (auth.test's `url`, such as
// https://acme.slack.com/), as Slack's own permalinks do. In the sandbox that is the sandbox's page, so
// a card link opens the card there; with Slack, a team or Enterprise Grid domain, or GovSlack's.
import type { WebClient } from '@slack/web-api';
import { DEFAULT_LINK_BASE } from './views/format.ts';

type AuthClient = Pick<WebClient, 'auth'>;

const known = new WeakMap<AuthClient, string>();

/** The base for permalinks, asked once per client; https://slack.com (which redirects) until known. */
export async function linkBase(client: AuthClient): Promise<string> {
  const cached = known.get(client);
  if (cached) return cached;
  try {
    const answer = await client.auth.test();
    const url = typeof answer.url === 'string' && /^https?:\/\//.test(answer.url) ? answer.url : null;
    if (!url) return DEFAULT_LINK_BASE;
    const base = url.replace(/\/+$/, '');
    known.set(client, base);
    return base;
  } catch {
    // Not fatal: a link through slack.com still opens the message in Slack; asked again next time.
    return DEFAULT_LINK_BASE;
  }
}
