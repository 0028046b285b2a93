// One signal for "stop now" that also says why: the caller aborted, or our own time ran out.

export interface Deadline {
  signal: AbortSignal;
  /** Why the signal aborted, or null while it has not. */
  reason(): 'cancelled' | 'timed_out' | null;
  dispose(): void;
}

/** Aborts when `parent` aborts (cancelled) or after `timeoutMs` (timed_out); no timeout when undefined. */
export function deadline(parent: AbortSignal | undefined, timeoutMs: number | undefined): Deadline {
  const controller = new AbortController();
  let why: 'cancelled' | 'timed_out' | null = null;
  const onAbort = (): void => {
    why ??= 'cancelled';
    controller.abort();
  };
  if (parent?.aborted) onAbort();
  else parent?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          why ??= 'timed_out';
          controller.abort();
        }, timeoutMs);
  return {
    signal: controller.signal,
    reason: () => why,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
    },
  };
}
