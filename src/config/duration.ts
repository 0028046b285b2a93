// Durations as the runbook writes them: `500ms`, `2s`, `30m`, `1h`, or compounds like `1h30m`.
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
/** A whole duration string; also the pattern `runway schema` gives durations. */
export const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

/** Milliseconds for a duration string, or null when it is not one. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) return null;
  let total = 0;
  for (const match of trimmed.matchAll(PART)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return Math.round(total);
}

/**
 * The shortest readable form of a millisecond count: 90000 → "1m30s". Under a minute the tenths are
 * kept when there are any (1500 → "1.5s", not "2s": a `timeout: 1500ms` must not read as 2 s).
 */
export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${tenths / 10}s`;
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}
