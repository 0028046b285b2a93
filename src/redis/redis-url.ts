// REDIS_URL, parsed (SPEC §1, §14): `redis://` / `rediss://` for one server, or
// `redis+sentinel://h1:26379,h2:26379/mymaster[/db][?password=…&sentinelPassword=…]` for a primary
// found through Sentinel. Pure: no sockets; connection.ts turns the result into an ioredis client.
import type { RedisOptions } from 'ioredis';

export interface SentinelTarget {
  kind: 'sentinel';
  sentinels: { host: string; port: number }[];
  /** The monitored primary's name (`sentinel monitor <name> …`). */
  name: string;
  db?: number;
  username?: string;
  password?: string;
  sentinelUsername?: string;
  sentinelPassword?: string;
}

export type RedisTarget = { kind: 'url'; url: string } | SentinelTarget;

export const SENTINEL_SCHEME = 'redis+sentinel:';
const DEFAULT_SENTINEL_PORT = 26379;
const QUERY_KEYS = ['password', 'sentinelPassword', 'username', 'sentinelUsername'] as const;

export class RedisUrlError extends Error {}

/** True for the URLs this module understands (the env schema's check). */
export function looksLikeRedisUrl(url: string): boolean {
  return /^(rediss?|redis\+sentinel):\/\/\S+$/.test(url);
}

export function parseRedisUrl(url: string): RedisTarget {
  if (!url.startsWith(`${SENTINEL_SCHEME}//`)) return { kind: 'url', url };
  // new URL() refuses a comma-separated host list, so the authority is split by hand.
  const rest = url.slice(SENTINEL_SCHEME.length + 2);
  const queryAt = rest.indexOf('?');
  const beforeQuery = queryAt < 0 ? rest : rest.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : rest.slice(queryAt + 1));
  const slash = beforeQuery.indexOf('/');
  const authority = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash);
  const path = slash < 0 ? '' : beforeQuery.slice(slash + 1);
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? '' : authority.slice(0, at);
  const hosts = at < 0 ? authority : authority.slice(at + 1);

  const [name, dbText, ...extra] = path.split('/').filter((p) => p !== '');
  if (!name || extra.length > 0) {
    throw new RedisUrlError(
      'expected the primary name after the hosts, e.g. redis+sentinel://h1:26379,h2:26379/mymaster',
    );
  }
  const target: SentinelTarget = {
    kind: 'sentinel',
    sentinels: hosts.split(',').map(parseHost),
    name: decode(name),
  };
  if (dbText !== undefined) {
    // Not quoted back, like the hosts (parseHost).
    if (!/^\d+$/.test(dbText)) throw new RedisUrlError('expected a database number after the name');
    target.db = Number(dbText);
  }
  // user:password@ before the hosts is the data nodes' credentials, as in redis:// URLs.
  if (userinfo) {
    const colon = userinfo.indexOf(':');
    const user = decode(colon < 0 ? userinfo : userinfo.slice(0, colon));
    const password = colon < 0 ? '' : decode(userinfo.slice(colon + 1));
    if (user) target.username = user;
    if (password) target.password = password;
  }
  for (const key of query.keys()) {
    if (!(QUERY_KEYS as readonly string[]).includes(key)) {
      throw new RedisUrlError(`unknown option "${key}" (expected ${QUERY_KEYS.join(', ')})`);
    }
  }
  for (const key of QUERY_KEYS) {
    const value = query.get(key);
    if (value) target[key] = value;
  }
  return target;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new RedisUrlError('a "%" is not followed by two hex digits (percent-encode "%" as %25)');
  }
}

function parseHost(text: string): { host: string; port: number } {
  // [::1]:26379, host:26379, or a bare host (Sentinel's default port).
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] === undefined ? DEFAULT_SENTINEL_PORT : Number(match[3]);
  if (!host || port < 1 || port > 65535) {
    // Never quoted back: with an unencoded "/" in a password, part of it lands here.
    throw new RedisUrlError(
      'expected sentinels as host:port, comma-separated (percent-encode / and @ in passwords)',
    );
  }
  return { host, port };
}

/**
 * ioredis options for a Sentinel target. No `failoverDetector`: in ioredis 5.11 its +switch-master
 * listener outlives a dropped connection and, firing mid-reconnect, ends the client for good (seen
 * in test/integration/ops/sentinel-failover.test.ts). A primary that dies drops the socket, and
 * Sentinel kills the clients of a primary it demotes, so the client reconnects and asks Sentinel
 * again; a write that still meets a replica gets READONLY and is sent again after a reconnect
 * (connection.ts). A primary that goes silent (a frozen host) does neither: follow-primary.ts
 * reconnects the clients left on it when the sentinels name another.
 */
export function sentinelOptions(target: SentinelTarget): RedisOptions {
  return {
    sentinels: target.sentinels,
    name: target.name,
    role: 'master',
    ...(target.db !== undefined ? { db: target.db } : {}),
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.sentinelUsername ? { sentinelUsername: target.sentinelUsername } : {}),
    ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
  };
}

/** Every password a REDIS_URL carries, for the log scrubber. */
export function redisUrlSecrets(url: string): string[] {
  try {
    const target = parseRedisUrl(url);
    if (target.kind === 'sentinel') {
      return [target.password, target.sentinelPassword].filter((v): v is string => Boolean(v));
    }
    const password = decodeURIComponent(new URL(url).password);
    return password ? [password] : [];
  } catch {
    return [];
  }
}

/** The URL without its passwords, for messages and logs. */
export function maskRedisUrl(url: string): string {
  try {
    const target = parseRedisUrl(url);
    if (target.kind === 'url') {
      const parsed = new URL(url);
      if (parsed.password) parsed.password = '***';
      return parsed.toString();
    }
    const user = target.username ?? '';
    const auth = target.password || user ? `${user}${target.password ? ':***' : ''}@` : '';
    const hosts = target.sentinels
      .map((s) => `${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`)
      .join(',');
    const db = target.db === undefined ? '' : `/${target.db}`;
    const query = [
      ...(target.sentinelUsername ? [`sentinelUsername=${encodeURIComponent(target.sentinelUsername)}`] : []),
      ...(target.sentinelPassword ? ['sentinelPassword=***'] : []),
    ];
    return `${SENTINEL_SCHEME}//${auth}${hosts}/${encodeURIComponent(target.name)}${db}${query.length ? `?${query.join('&')}` : ''}`;
  } catch {
    return '(REDIS_URL, not a valid URL)';
  }
}
