// People named inside the machine's sentences (outcomes, pause and rollback reasons, refusals). The
// machine speaks no Slack: it writes a neutral token, and src/slack/people.ts turns it into a mention.

/** The token for a user (U…/W…) or user group (S…) inside a sentence: `@{U123}`. */
export function person(id: string): string {
  return `@{${id}}`;
}

/** Matches the tokens `person()` writes; group 1 is the id. */
export const PERSON_TOKEN = /@\{([A-Z0-9]+)\}/g;

/** The token for a channel (C…/G…) inside a sentence: `#{C123}`; the Slack layer links it. */
export function channelRef(id: string): string {
  return `#{${id}}`;
}

/** Matches the tokens `channelRef()` writes; group 1 is the id. */
export const CHANNEL_TOKEN = /#\{([A-Z0-9]+)\}/g;
