// Channels named in the runbook as IDs (C…, G…) or #names. Names are resolved once with
// conversations.list and cached; the bot joins a public channel it is not in.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.ts';

interface ChannelInfo {
  id: string;
  name: string;
  isPrivate: boolean;
  isMember: boolean;
}

export class ChannelResolver {
  private byName = new Map<string, ChannelInfo>();
  private byId = new Map<string, ChannelInfo>();
  private loaded: Promise<void> | null = null;
  private readonly joined = new Set<string>();

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
  ) {}

  /** A channel ID for a runbook value (`#releases`, `releases` or `C0123…`), joining it if needed. */
  async resolve(value: string): Promise<string> {
    const trimmed = value.trim();
    if (/^[CGD][A-Z0-9]{6,}$/.test(trimmed)) {
      await this.ensureMember(trimmed);
      return trimmed;
    }
    const name = trimmed.replace(/^#/, '').toLowerCase();
    let info = await this.lookup(name);
    if (!info) {
      // Created after we listed: list again once.
      this.loaded = null;
      info = await this.lookup(name);
    }
    if (!info)
      throw new MissingChannelError(
        `Slack channel #${name} does not exist (or the bot cannot see it); create it or fix the runbook.`,
      );
    await this.ensureMember(info.id);
    return info.id;
  }

  /** Forget what we know (after a channel was renamed or created). */
  reset(): void {
    this.loaded = null;
  }

  private async lookup(name: string): Promise<ChannelInfo | undefined> {
    this.loaded ??= this.load();
    await this.loaded;
    return this.byName.get(name);
  }

  private async load(): Promise<void> {
    const byName = new Map<string, ChannelInfo>();
    const byId = new Map<string, ChannelInfo>();
    let cursor: string | undefined;
    do {
      const page = await this.client.conversations.list({
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      for (const c of page.channels ?? []) {
        if (!c.id || !c.name) continue;
        const info = {
          id: c.id,
          name: c.name,
          isPrivate: c.is_private === true,
          isMember: c.is_member === true,
        };
        byName.set(c.name.toLowerCase(), info);
        byId.set(c.id, info);
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    this.byName = byName;
    this.byId = byId;
  }

  private async ensureMember(id: string): Promise<void> {
    if (this.joined.has(id)) return;
    this.loaded ??= this.load();
    await this.loaded.catch(() => undefined);
    const info = this.byId.get(id);
    if (info && !info.isMember && !info.isPrivate) {
      try {
        await this.client.conversations.join({ channel: id });
        info.isMember = true;
        this.log.info({ channel: id, name: info.name }, 'joined channel');
      } catch (error) {
        this.log.warn(
          { channel: id, err: error instanceof Error ? error.message : String(error) },
          'could not join channel',
        );
      }
    }
    this.joined.add(id);
  }
}

/** A runbook channel Slack does not have: retrying will not help until someone fixes it. */
export class MissingChannelError extends Error {
  override name = 'MissingChannelError';
}
