// Every client of a Sentinel target follows a change of primary, even one whose old primary went
// silent: a frozen or cut-off host sends no RST, and Sentinel cannot kill the clients of a node it
// cannot reach, so a client (and BullMQ's blocking connections) would wait on the dead socket for
// good and /readyz stay 503. One watcher per target asks a sentinel for the primary every second;
// when it moves, the clients still connected to the old address reconnect, asking Sentinel again.
// (ioredis's own failoverDetector is not used: see sentinelOptions in redis-url.ts.)
import { Redis } from 'ioredis';
import type { SentinelTarget } from './redis-url.ts';

const POLL_MS = 1000;
const ASK_TIMEOUT_MS = 1000;

class PrimaryWatcher {
  readonly clients = new Set<Redis>();
  private primary: string | undefined;
  private sentinel: Redis | undefined;
  private next = 0;
  private readonly timer: NodeJS.Timeout;
  private asking = false;

  constructor(
    private readonly target: SentinelTarget,
    private readonly onIdle: () => void,
  ) {
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  add(client: Redis): void {
    this.clients.add(client);
    client.once('end', () => {
      this.clients.delete(client);
      if (this.clients.size === 0) this.stop();
    });
  }

  private stop(): void {
    clearInterval(this.timer);
    this.sentinel?.disconnect();
    this.onIdle();
  }

  private async poll(): Promise<void> {
    if (this.asking) return;
    this.asking = true;
    try {
      const now = await this.ask();
      if (now && this.primary && now !== this.primary) this.reconnectThose(this.primary);
      if (now) this.primary = now;
    } finally {
      this.asking = false;
    }
  }

  /** host:port of the primary as the sentinels name it, or null when no sentinel answered. */
  private async ask(): Promise<string | null> {
    for (let tried = 0; tried < this.target.sentinels.length; tried++) {
      this.sentinel ??= this.connect(this.target.sentinels[this.next % this.target.sentinels.length]!);
      try {
        const reply = (await this.sentinel.call('SENTINEL', 'get-master-addr-by-name', this.target.name)) as
          [string, string] | null;
        return reply ? `${reply[0]}:${reply[1]}` : null;
      } catch {
        // That sentinel is away: the next one, now and at the next poll.
        this.sentinel.disconnect();
        this.sentinel = undefined;
        this.next += 1;
      }
    }
    return null;
  }

  private connect(at: { host: string; port: number }): Redis {
    const sentinel = new Redis({
      host: at.host,
      port: at.port,
      ...(this.target.sentinelUsername ? { username: this.target.sentinelUsername } : {}),
      ...(this.target.sentinelPassword ? { password: this.target.sentinelPassword } : {}),
      connectTimeout: ASK_TIMEOUT_MS,
      commandTimeout: ASK_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: true,
      connectionName: 'runway-primary-watch',
    });
    sentinel.on('error', () => {});
    return sentinel;
  }

  /** Reconnects the clients whose socket still goes to `old` (the others have moved, or are moving). */
  private reconnectThose(old: string): void {
    for (const client of this.clients) {
      const stream = (client as unknown as { stream?: { remoteAddress?: string; remotePort?: number } })
        .stream;
      const at = `${(stream?.remoteAddress ?? '').replace(/^::ffff:/, '')}:${stream?.remotePort ?? ''}`;
      // Only a ready client on the old address: one already reconnecting finds the new primary by
      // itself, and ioredis 5 ends for good a client told to reconnect in the middle of reconnecting.
      if (client.status === 'ready' && at === old) client.disconnect(true);
    }
  }
}

const watchers = new Map<string, PrimaryWatcher>();

/** Makes `client`, and every client duplicated from it (BullMQ's), follow the target's primary. */
export function followPrimary(target: SentinelTarget, client: Redis): Redis {
  const key = `${target.name}@${target.sentinels.map((s) => `${s.host}:${s.port}`).join(',')}`;
  let watcher = watchers.get(key);
  if (!watcher) {
    watcher = new PrimaryWatcher(target, () => watchers.delete(key));
    watchers.set(key, watcher);
  }
  watcher.add(client);
  const duplicate = client.duplicate.bind(client);
  client.duplicate = (override) => followPrimary(target, duplicate(override));
  return client;
}
