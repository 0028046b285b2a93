// Redis connections for Runway. BullMQ workers and queues need `maxRetriesPerRequest: null` (their
// blocking commands must wait out a Redis restart, not fail); other connections give up on a command
// after a few reconnects, so a Slack handler answers "try again" instead of hanging past its 3 s.
// Every Runway client is made here (or by newRedis), so a Sentinel REDIS_URL reaches all of them.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log.ts';
import { parseRedisUrl, sentinelOptions } from './redis-url.ts';
import { followPrimary } from './follow-primary.ts';
import { resolvedWithin } from '../time-limit.ts';

export interface CreateRedisOptions {
  /** For BullMQ Worker / Queue / QueueEvents connections. */
  forWorker?: boolean;
  /** Connection errors are logged here (at most one line per outage) instead of by ioredis. */
  log?: Logger;
  /** Shown in CLIENT LIST, handy when several processes share one Redis. */
  name?: string;
  /**
   * Commands issued in one turn of the event loop leave in one write (the store's connection: gate
   * samples save many releases at once). Off for BullMQ workers' own connections, where it only
   * delays each command to the next turn (jobs-throughput lost ~15% with it).
   */
  autoPipelining?: boolean;
}

/** Reconnect delay: quick at first, never more than 2 s apart, forever. */
export function retryDelay(times: number): number {
  return Math.min(times * 100, 2000);
}

const NON_WORKER_RETRIES = 3;

/**
 * A failover leaves clients that kept their socket talking to a demoted primary, which answers
 * writes with READONLY (the command did not run): reconnect through Sentinel and send it again.
 */
export function reconnectOnReadonly(error: Error): 2 | false {
  return error.message.startsWith('READONLY') ? 2 : false;
}

/** An ioredis client for a REDIS_URL: one server (redis://, rediss://) or a primary found through Sentinel. */
export function newRedis(url: string, options: RedisOptions = {}): Redis {
  const target = parseRedisUrl(url);
  // Managed Redis fails over by moving its endpoint, which can leave a connection on the demoted node.
  if (target.kind === 'url') return new Redis(url, { reconnectOnError: reconnectOnReadonly, ...options });
  return followPrimary(
    target,
    new Redis({ ...sentinelOptions(target), reconnectOnError: reconnectOnReadonly, ...options }),
  );
}

export function createRedis(url: string, options: CreateRedisOptions = {}): Redis {
  const redis = newRedis(url, {
    maxRetriesPerRequest: options.forWorker ? null : NON_WORKER_RETRIES,
    lazyConnect: false,
    enableAutoPipelining: options.autoPipelining ?? false,
    retryStrategy: retryDelay,
    ...(options.name ? { connectionName: options.name } : {}),
  });
  // Without a listener ioredis prints "Unhandled error event" for every failed reconnect.
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    options.log?.warn({ err: err.message }, 'Redis connection lost; reconnecting');
  });
  redis.on('ready', () => {
    if (down) options.log?.info('Redis connection back');
    down = false;
  });
  return redis;
}

/** True when Redis answers PING within `timeoutMs` (readiness probes: never throws, never hangs). */
export function redisReady(redis: Redis, timeoutMs = 1000): Promise<boolean> {
  const ping = redis.ping().then(
    (reply) => reply === 'PONG',
    () => false,
  );
  return resolvedWithin(ping, timeoutMs, false);
}
