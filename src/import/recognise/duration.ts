// Durations as runbooks write them ("15 minutes", "30min", "1hr", "5-10 minutes", "5m") and the two
// roles they play: a hold after a traffic shift ("monitor for 15 minutes", "(10% traffic, 30min)",
// "1hr window") and how long a threshold must last ("for 5 minutes", "sustained 10min", "window: 5m").
import { formatDuration } from '../../config/duration.ts';

export interface FoundDuration {
  /** As the runbook file writes it: "15m", "1h". */
  duration: string;
  ms: number;
  /** The words it was read from. */
  text: string;
}

const UNIT = '(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)(?![a-z])';
const AMOUNT = String.raw`(\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(\d+(?:\.\d+)?))?\s*`;
// T+5min and T-30min are points on a timeline, not lengths.
const DURATION = new RegExp(String.raw`(?<![T][+-]|[\w.])${AMOUNT}${UNIT}`, 'gi');

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function unitMs(unit: string): number {
  const u = unit.toLowerCase();
  if (u.startsWith('ms') || u.startsWith('milli')) return UNIT_MS['ms']!;
  return UNIT_MS[u[0]!] ?? 0;
}

/** Every duration in `text`; a range ("5-10 minutes") counts as its upper end. */
export function findDurations(text: string): FoundDuration[] {
  return [...text.matchAll(DURATION)].map((m) => {
    const amount = Number(m[2] ?? m[1]);
    const ms = Math.round(amount * unitMs(m[3] ?? ''));
    return { duration: formatDuration(ms), ms, text: m[0].trim() };
  });
}

const HOLD_WORDS = /\b(monitor(?:ing)?|watch|observe|hold|wait|bake|soak)\b/i;
const WINDOW_AFTER = new RegExp(String.raw`${AMOUNT}${UNIT}\s+window`, 'i');

/**
 * The hold a sentence asks for after a traffic shift, or null: a duration after a monitoring verb
 * ("Monitor for additional 15 minutes"), before "window" ("1hr window"), or beside a percentage in
 * one parenthesis ("(10% traffic, 30min)").
 */
export function findHold(text: string): FoundDuration | null {
  const verb = HOLD_WORDS.exec(text);
  if (verb) {
    const after = findDurations(text.slice(verb.index));
    if (after[0]) return after[0];
  }
  const window = WINDOW_AFTER.exec(text);
  if (window) return findDurations(window[0])[0] ?? null;
  const paren = /\(([^)]*\d\s*%[^)]*)\)/.exec(text);
  if (paren?.[1]) return findDurations(paren[1])[0] ?? null;
  return null;
}

const BARE_PAREN = new RegExp(String.raw`\(\s*~?\s*${AMOUNT}${UNIT}\s*\)`, 'i');

/**
 * A parenthesis that holds only a duration ("Route 10% of traffic (30min)"): the hold of the shift
 * the same sentence makes. Read only on the shift's own line: elsewhere "(5min)" may time anything.
 */
export function findShiftHold(text: string): FoundDuration | null {
  const paren = BARE_PAREN.exec(text);
  return paren ? (findDurations(paren[0])[0] ?? null) : null;
}

const SUSTAINED = new RegExp(
  String.raw`\b(?:for|sustained(?:\s+for)?|lasting|over|window:?)\s+(?:(?:at\s+least|more\s+than)\s+)?${AMOUNT}${UNIT}`,
  'i',
);

/** How long a threshold must hold before it counts ("for 5 minutes", "sustained 10min", "window: 5m"). */
export function findSustained(text: string): FoundDuration | null {
  const match = SUSTAINED.exec(text);
  return match ? (findDurations(match[0])[0] ?? null) : null;
}
