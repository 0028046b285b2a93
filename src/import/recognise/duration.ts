// Durations as runbooks write them ("15 minutes", "30min", "1hr", "5-10 minutes", "5m", "1h30m") and the two
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
// "1h30m", "1 hr 30 min", "1 hour and 30 minutes": one duration in pieces.
const MORE = String.raw`(?:\s*(?:and\s+)?\d+(?:\.\d+)?\s*${UNIT.replace('(', '(?:')})*`;
// T+5min and T-30min are points on a timeline, not lengths.
const DURATION = new RegExp(String.raw`(?<![T][+-]|[\w.])${AMOUNT}${UNIT}${MORE}`, 'gi');
const PIECE = new RegExp(String.raw`${AMOUNT}${UNIT}`, 'gi');

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function unitMs(unit: string): number {
  const u = unit.toLowerCase();
  if (u.startsWith('ms') || u.startsWith('milli')) return UNIT_MS['ms']!;
  return UNIT_MS[u[0]!] ?? 0;
}

/** Every duration in `text`; a range ("5-10 minutes") counts as its upper end. */
export function findDurations(text: string): FoundDuration[] {
  return [...text.matchAll(DURATION)].flatMap((m) => {
    // Pieces add up while each is a smaller unit than the one before ("1h30m"); else each stands alone.
    const out: { ms: number; unit: number; from: number; to: number }[] = [];
    for (const p of m[0].matchAll(PIECE)) {
      const unit = unitMs(p[3] ?? '');
      const ms = Math.round(Number(p[2] ?? p[1]) * unit);
      const last = out.at(-1);
      const to = p.index + p[0].length;
      if (last && unit < last.unit) Object.assign(last, { ms: last.ms + ms, unit, to });
      else out.push({ ms, unit, from: p.index, to });
    }
    return out.map((d) => ({
      duration: formatDuration(d.ms),
      ms: d.ms,
      text: m[0].slice(d.from, d.to).trim(),
    }));
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
  const paren = /\(([^)]*\d\s*(?:%|percent)[^)]*)\)/i.exec(text);
  if (paren?.[1]) return findDurations(paren[1])[0] ?? null;
  return null;
}

const BARE_PAREN = new RegExp(String.raw`\(\s*~?\s*${AMOUNT}${UNIT}${MORE}\s*\)`, 'i');
const FOR = new RegExp(
  String.raw`\bfor\s+(?:at\s+least\s+|another\s+|an?\s+(?:additional|further)\s+)?\d`,
  'i',
);
// A comparison before the "for" makes it a threshold's duration ("roll back if errors > 1% for 5m").
const COMPARED = /[<>≤≥]|\b(?:exceeds?|above|below|under|than)\b/i;

/**
 * The hold of the shift a line makes, said on that line: a parenthesis that holds only a duration
 * ("Route 10% of traffic (30min)") or a "for" ("Shift 5% of traffic to the canary for 30 minutes").
 * Read only on the shift's own line: elsewhere "(5min)" or "for 5 minutes" may time anything.
 */
export function findShiftHold(text: string): FoundDuration | null {
  const paren = BARE_PAREN.exec(text);
  if (paren) return findDurations(paren[0])[0] ?? null;
  const spoken = FOR.exec(text);
  if (!spoken || COMPARED.test(text.slice(0, spoken.index))) return null;
  return findDurations(text.slice(spoken.index))[0] ?? null;
}

const SUSTAINED = new RegExp(
  String.raw`\b(?:for|sustained(?:\s+for)?|lasting|over|window:?)\s+(?:(?:at\s+least|more\s+than)\s+)?${AMOUNT}${UNIT}`,
  'i',
);

/** How long a threshold must hold before it counts ("for 5 minutes", "sustained 10min", "window: 5m"). */
export function findSustained(text: string): FoundDuration | null {
  const match = SUSTAINED.exec(text);
  return match ? (findDurations(text.slice(match.index))[0] ?? null) : null;
}
