// `expect_json` for http checks: the response must contain what is expected, and may contain more.
//   objects: every expected key present and matching (extra keys are fine)
//   arrays:  the same length, each element matching as a subset
//   others:  strict equality (1 ≠ "1")

/** Null when `actual` matches, else why not, naming the JSON path: `$.status` was "degraded", expected "healthy". */
export function subsetMismatch(actual: unknown, expected: unknown, path = '$'): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `\`${path}\` was ${describeValue(actual)}, expected an array`;
    if (actual.length !== expected.length) {
      return `\`${path}\` has ${actual.length} elements, expected ${expected.length}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const why = subsetMismatch(actual[i], expected[i], `${path}[${i}]`);
      if (why) return why;
    }
    return null;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return `\`${path}\` was ${describeValue(actual)}, expected an object`;
    for (const [key, value] of Object.entries(expected)) {
      const child = childPath(path, key);
      if (!Object.prototype.hasOwnProperty.call(actual, key)) {
        return `\`${child}\` is missing, expected ${describeValue(value)}`;
      }
      const why = subsetMismatch(actual[key], value, child);
      if (why) return why;
    }
    return null;
  }
  return actual === expected
    ? null
    : `\`${path}\` was ${describeValue(actual)}, expected ${describeValue(expected)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** A value as a person reads it in a summary: JSON, shortened; containers by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (isObject(value)) return 'an object';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
