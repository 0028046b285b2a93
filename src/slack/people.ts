// The release machine names people with neutral person() tokens (`@{U123}`); in Slack they are
// mentions. Where typed text sits next to them, only user tokens become mentions, so typed text
// cannot forge a group ping.
import { CHANNEL_TOKEN, PERSON_TOKEN } from '../release/person.ts';

/** Slack mention for a user (U…) or user group (S…). */
export function mention(id: string): string {
  return id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`;
}

/** A machine sentence (a refusal) with its person tokens as Slack mentions, groups included. */
export function withMentions(text: string): string {
  return text
    .replace(PERSON_TOKEN, (_m, id: string) => mention(id))
    .replace(CHANNEL_TOKEN, (_m, id: string) => `<#${id}>`);
}

/** Text that mixes typed words and person tokens: user tokens become mentions, group tokens stay text. */
export function withUserMentions(text: string): string {
  return text.replace(PERSON_TOKEN, (m, id: string) => (/^[UW]/.test(id) ? mention(id) : m));
}
