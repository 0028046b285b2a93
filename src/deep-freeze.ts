// Freezes an object and everything in it: for data shared by reference that nobody may change
// (a release's plan, shared by every revision and every read of the release).
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
