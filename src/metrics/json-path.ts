// The `path` of an http gate: `data.error_rate`, `$.data.error_rate`, `items[0].value`, `$["a.b"]`, and
// `$` for an endpoint that answers with the number itself.

type Segment = string | number;

/** Parse a path into keys and indexes; null when it is not a path we understand. */
export function parseJsonPath(path: string): Segment[] | null {
  let rest = path.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  const segments: Segment[] = [];
  const token = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*"|'[^']*')\])/;
  while (rest.length > 0) {
    const match = token.exec(rest);
    if (!match) return null;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) {
      const quoted = match[3];
      segments.push(quoted.startsWith('"') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1));
    }
    rest = rest.slice(match[0].length);
  }
  return segments;
}

export type PathResult = { found: true; value: unknown } | { found: false; reason: string };

/** Why a gate's path cannot be read (null when it can): checked when the runbook loads. */
export function jsonPathProblem(path: string): string | null {
  const segments = parseJsonPath(path);
  if (segments !== null && (segments.length > 0 || path.trim() === '$')) return null;
  return `cannot read the path "${path}": write keys and indexes as in $.data.items[0].value or $["a.b"]`;
}

/** Follow a path into parsed JSON, saying where it stopped when it cannot. */
export function readJsonPath(root: unknown, path: string): PathResult {
  const segments = parseJsonPath(path);
  if (segments === null || (segments.length === 0 && path.trim() !== '$'))
    return { found: false, reason: `cannot read the path "${path}"` };
  let current: unknown = root;
  let walked = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return { found: false, reason: `\`${walked}\` is not an array` };
      if (segment >= current.length) {
        return { found: false, reason: `\`${walked}\` has ${current.length} elements, no [${segment}]` };
      }
      current = current[segment];
      walked += `[${segment}]`;
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) {
        return { found: false, reason: `\`${walked}\` is not an object` };
      }
      if (!Object.prototype.hasOwnProperty.call(current, segment)) {
        return { found: false, reason: `\`${walked}\` has no key "${segment}"` };
      }
      current = (current as Record<string, unknown>)[segment];
      walked += `.${segment}`;
    }
  }
  return { found: true, value: current };
}

/** A finite number, or a string holding one ("0.002"); anything else is not a reading. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}
