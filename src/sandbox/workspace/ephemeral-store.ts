// Ephemeral messages: seen by one user only, replaceable (response_url) and deletable, never in history.
import type { Feed } from './feed.ts';
import type { BotIdentity } from './seed.ts';
import type { Ephemeral, JsonObject } from './types.ts';

export interface NewEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: JsonObject[];
  thread_ts?: string;
  /** Slackbot's notice (e.g. "/release failed with the error …") rather than the app's message. */
  fromSlackbot?: boolean;
}

const copy = <T>(value: T): T => structuredClone(value);

export class EphemeralStore {
  private list: Ephemeral[] = [];

  constructor(
    private readonly feed: Feed,
    private readonly nextTs: () => string,
    private readonly bot: BotIdentity,
  ) {}

  post(input: NewEphemeral): Ephemeral {
    const ephemeral: Ephemeral = {
      type: 'message',
      channel: input.channel,
      user: input.user,
      ts: this.nextTs(),
      ...(input.fromSlackbot ? { username: 'Slackbot' } : { bot_id: this.bot.bot_id }),
      text: input.text,
      ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
      ...(input.blocks ? { blocks: copy(input.blocks) } : {}),
    };
    this.list.push(ephemeral);
    this.feed.emit({ type: 'ephemeral', channel: input.channel, user: input.user, message: copy(ephemeral) });
    return copy(ephemeral);
  }

  replace(ts: string, change: { text: string; blocks?: JsonObject[] }): Ephemeral | undefined {
    const found = this.list.find((e) => e.ts === ts);
    if (!found) return undefined;
    found.text = change.text;
    if (change.blocks) found.blocks = copy(change.blocks);
    else delete found.blocks;
    this.feed.emit({
      type: 'ephemeral_changed',
      channel: found.channel,
      user: found.user,
      message: copy(found),
    });
    return copy(found);
  }

  delete(ts: string): boolean {
    const found = this.list.find((e) => e.ts === ts);
    if (!found) return false;
    this.list = this.list.filter((e) => e !== found);
    this.feed.emit({ type: 'ephemeral_deleted', channel: found.channel, user: found.user, ts });
    return true;
  }

  get(ts: string): Ephemeral | undefined {
    const found = this.list.find((e) => e.ts === ts);
    return found && copy(found);
  }

  /** Ephemeral messages, oldest first, for one user or everyone. */
  forUser(user?: string): Ephemeral[] {
    return this.list.filter((e) => user === undefined || e.user === user).map(copy);
  }
}
