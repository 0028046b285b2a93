// Freezes an object and everything in it: for data shared by reference that nobody may change
// (a release's plan, shared by every revision and every read of the release).
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

/**
 * A deep copy of JSON data (plain objects, arrays, primitives): what a stored release is. Several
 * times faster than structuredClone, which goes through V8's serializer; the machine copies a
 * release's state on every decision, a thousand times a second under a busy hold.
 */
export function copyData<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyData) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyData((value as Record<string, unknown>)[key]);
  return out as T;
}
