// Keeps a lane's lock alive while one delivery is in flight. The lock's TTL is what lets another
// process take over a dead drainer's lane, so it is short; one attempt can be longer (a file share is
// up to 10 s + 30 s + 10 s). Let it lapse mid-send and the sweep hands the lane to a second drainer,
// which posts the same thing again and the lines behind it out of order.

/**
 * Runs `work` while renewing the lock every `everyMs`. `held` is false when a renewal found the lock
 * taken by someone else (or it could not be renewed at the end): the caller must leave the lane alone.
 */
export async function whileHolding<T>(
  renew: () => Promise<boolean>,
  everyMs: number,
  work: () => Promise<T>,
): Promise<{ value: T; held: boolean }> {
  let held = true;
  let renewing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    // One renewal at a time; a Redis error is not a loss (the final renewal below decides).
    renewing = renewing.then(async () => {
      if (held && (await renew().catch(() => true)) === false) held = false;
    });
  }, everyMs);
  try {
    const value = await work();
    clearInterval(timer);
    await renewing;
    return { value, held: held && (await renew()) };
  } finally {
    clearInterval(timer);
  }
}
