// Waiting on something that may never end (a command while Redis is gone, a close that hangs) for
// at most a given time.

/**
 * What `work` resolves to, or `fallback` if it has not resolved within `ms`. `work` must not reject.
 * The timer is cleared either way and never keeps the process alive.
 */
export async function resolvedWithin<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms).unref();
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
