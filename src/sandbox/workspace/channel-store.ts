// The workspace's channels: creation, topics and members, each change announced on the feed.
// Everything handed out is a copy.
import type { Feed } from './feed.ts';
import { newId, type Clock } from './ids.ts';
import type { Channel } from './types.ts';

const copy = <T>(value: T): T => structuredClone(value);

export class ChannelStore {
  private readonly byId = new Map<string, Channel>();

  /** `onAdd` runs as each channel is stored (seeded or created), before the feed hears of it. */
  constructor(
    private readonly feed: Feed,
    private readonly now: Clock,
    seed: readonly Channel[],
    private readonly onAdd: (channelId: string) => void,
  ) {
    for (const channel of seed) this.add(copy(channel));
  }

  create(input: { name: string; is_private?: boolean; creator: string; members?: string[] }): Channel {
    const channel: Channel = {
      id: newId('C'),
      name: input.name,
      is_private: input.is_private ?? false,
      is_archived: false,
      created: Math.floor(this.now() / 1000),
      creator: input.creator,
      members: [...new Set([input.creator, ...(input.members ?? [])])],
      topic: '',
      purpose: '',
    };
    this.add(channel);
    this.feed.emit({ type: 'channel_created', channel: copy(channel) });
    for (const member of channel.members)
      this.feed.emit({ type: 'member_joined', channel: channel.id, user: member });
    return copy(channel);
  }

  setTopic(channelId: string, topic: string): Channel | undefined {
    const channel = this.byId.get(channelId);
    if (!channel) return undefined;
    channel.topic = topic;
    this.feed.emit({ type: 'channel_topic', channel: copy(channel) });
    return copy(channel);
  }

  get(id: string): Channel | undefined {
    const found = this.byId.get(id);
    return found && copy(found);
  }

  /** A channel by id, name or #name, as chat.postMessage accepts. */
  resolve(idOrName: string): Channel | undefined {
    const byId = this.byId.get(idOrName);
    if (byId) return copy(byId);
    const name = idOrName.replace(/^#/, '');
    const byName = [...this.byId.values()].find((c) => c.name === name);
    return byName && copy(byName);
  }

  all(): Channel[] {
    return [...this.byId.values()].map(copy);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  isMember(channelId: string, userId: string): boolean {
    return this.byId.get(channelId)?.members.includes(userId) ?? false;
  }

  /** Adds the user; false when already a member. Throws for an unknown channel. */
  join(channelId: string, userId: string, inviter?: string): boolean {
    const channel = this.byId.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    if (channel.members.includes(userId)) return false;
    channel.members.push(userId);
    this.feed.emit({
      type: 'member_joined',
      channel: channelId,
      user: userId,
      ...(inviter ? { inviter } : {}),
    });
    return true;
  }

  private add(channel: Channel): void {
    this.byId.set(channel.id, channel);
    this.onAdd(channel.id);
  }
}
