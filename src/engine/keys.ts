// Redis keys the engine owns (the store's keys are in src/store/keys.ts).
export interface EngineKeys {
  cancel(actionKey: string): string;
  notifyList(releaseId: string): string;
  notifyLock(releaseId: string): string;
  flushLock(releaseId: string): string;
  delivered(notificationKey: string): string;
}

export function engineKeys(prefix: string): EngineKeys {
  return {
    cancel: (k) => `${prefix}:cancel:${k}`,
    notifyList: (id) => `${prefix}:notify:${id}`,
    notifyLock: (id) => `${prefix}:lock:notify:${id}`,
    flushLock: (id) => `${prefix}:lock:flush:${id}`,
    delivered: (k) => `${prefix}:delivered:${k}`,
  };
}
