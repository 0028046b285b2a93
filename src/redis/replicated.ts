// Sentinel replicates asynchronously: a write the primary acknowledged can be lost if it dies before
// a replica has it. For the few writes that must survive a failover (a finished action's record:
// losing it would run the action again), wait briefly until a replica has them.
import type { Redis } from 'ioredis';

/** Short: WAIT holds up this connection's other commands, and a lone primary must not stall. */
export const REPLICA_WAIT_MS = 250;

/**
 * Waits until at least one replica has every write made so far on this connection, for at most
 * `timeoutMs`. Returns how many replicas have them, or null for a client that is not on Sentinel
 * (a single server has no replica to wait for).
 */
export async function waitForReplica(redis: Redis, timeoutMs = REPLICA_WAIT_MS): Promise<number | null> {
  if (!redis.options.sentinels?.length) return null;
  return redis.wait(1, timeoutMs);
}
