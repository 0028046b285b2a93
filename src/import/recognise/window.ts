// Deploy windows: days and hours in a named zone ("Tue-Thu, 10am-4pm PT", "Mon–Fri 09:00-17:00 UTC",
// "Monday through Thursday, 9am to 3pm Eastern", "Tue, Wed and Thu 10am-4pm PT", "weekdays 9-5 ET")
// → `windows.allow` entries (a line may give several) and an IANA time zone. Days alone or hours alone are not a window, and a
// line about when deploys are restricted is not an allowance.
import { isValidTimezone } from '../../config/windows.ts';

export interface FoundWindow {
  /** As `windows.allow` writes it: "Tue-Thu 10:00-16:00". */
  allow: string;
  timezone: string | null;
}

const ZONES: Record<string, string> = {
  pt: 'America/Los_Angeles',
  pst: 'America/Los_Angeles',
  pdt: 'America/Los_Angeles',
  pacific: 'America/Los_Angeles',
  mt: 'America/Denver',
  mst: 'America/Denver',
  mdt: 'America/Denver',
  mountain: 'America/Denver',
  ct: 'America/Chicago',
  cst: 'America/Chicago',
  cdt: 'America/Chicago',
  central: 'America/Chicago',
  et: 'America/New_York',
  est: 'America/New_York',
  edt: 'America/New_York',
  eastern: 'America/New_York',
  utc: 'UTC',
  gmt: 'UTC',
  z: 'UTC',
  bst: 'Europe/London',
  uk: 'Europe/London',
  cet: 'Europe/Paris',
  cest: 'Europe/Paris',
  ist: 'Asia/Kolkata',
  jst: 'Asia/Tokyo',
  aest: 'Australia/Sydney',
  aedt: 'Australia/Sydney',
};

const DAY = '(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*';
const UNTIL = String.raw`(?:-|–|\bto\b|\bthrough\b|\bthru\b)`;
const AND = String.raw`(?:,\s*(?:and|&)?|\band\b|&)`;
const DAYS = String.raw`(${DAY}(?:\s*${UNTIL}\s*${DAY}|(?:\s*${AND}\s*${DAY})+)?|weekdays|weekends)`;
const CLOCK = String.raw`(\d{1,2}(?::\d{2})?\s*(?:am|pm)?|noon|midnight)`;
const WINDOW = new RegExp(
  String.raw`\b${DAYS}\s*,?\s*(?:from\s+)?${CLOCK}\s*(?:-|–|to)\s*${CLOCK}(?:\s*\(?\s*([A-Za-z]+(?:\/[A-Za-z_]+)?)\b)?`,
  'gi',
);
// Where bare hours ("9-5") can only be a working day's.
const WINDOW_WORDS = /\b(?:window|deploy\w*|release\w*|hours|allowed)\b/i;
const RESTRICTED = /\b(restricted|forbidden|blocked|not allowed|no deploy|freeze|never)\b/i;

function clock(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (t === 'noon') return '12:00';
  if (t === 'midnight') return '00:00';
  const m = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/.exec(t);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? '0');
  if (m[3] === 'pm' && hour < 12) hour += 12;
  if (m[3] === 'am' && hour === 12) hour = 0;
  // A bare "10" is an hour only with am/pm or minutes beside it.
  if (!m[3] && m[2] === undefined) return null;
  if (hour > 24 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

function day(text: string): string {
  const t = text.trim().toLowerCase();
  return t.charAt(0).toUpperCase() + t.slice(1, 3);
}

function days(text: string): string {
  const t = text.trim().toLowerCase();
  if (t === 'weekdays' || t === 'weekends') return t;
  const range = t.split(new RegExp(String.raw`\s*${UNTIL}\s*`));
  if (range.length === 2) return `${day(range[0] ?? '')}-${day(range[1] ?? '')}`;
  return t
    .split(new RegExp(String.raw`\s*${AND}\s*`))
    .filter(Boolean)
    .map(day)
    .join(',');
}

export function zoneOf(word: string | undefined): string | null {
  if (!word) return null;
  if (word.includes('/')) return isValidTimezone(word) ? word : null;
  return ZONES[word.toLowerCase()] ?? null;
}

/** Every window a line allows, in order ("Tue-Thu 10am-4pm PT and Mon 1pm-3pm PT" is two). */
export function findWindows(line: string): FoundWindow[] {
  if (RESTRICTED.test(line)) return [];
  const text = line.replace(/\b([ap])\.\s?m\b\.?/gi, '$1m');
  return [...text.matchAll(WINDOW)].flatMap((m) => {
    const timezone = zoneOf(m[4]);
    const hours = hoursOf(m[2] ?? '', m[3] ?? '', timezone !== null || WINDOW_WORDS.test(text));
    return hours ? [{ allow: `${days(m[1] ?? '')} ${hours}`, timezone }] : [];
  });
}

export function findWindow(text: string): FoundWindow | null {
  return findWindows(text)[0] ?? null;
}

/** "10-4pm", "9am to noon", and in a window's words "9-5" (09:00-17:00) → "HH:MM-HH:MM", or null. */
function hoursOf(startWritten: string, endText: string, windowSaid: boolean): string | null {
  const startText = startWritten.trim();
  const bare = /^\d{1,2}$/.test(startText);
  // "9-5": a working day, the end after noon; "10-16": hours on a 24-hour clock.
  if (bare && /^\s*\d{1,2}\s*$/.test(endText)) {
    const [from, to] = [Number(startText), Number(endText)];
    if (!windowSaid || from > 24 || to > 24) return null;
    const end = to < from && to + 12 > from ? to + 12 : to;
    return end > from ? `${clock(`${from}:00`)}-${clock(`${end}:00`)}` : null;
  }
  // "10-4pm": the start borrows the end's am/pm, unless that would put it after the end (10am-4pm).
  const end = clock(endText);
  const suffix = /(am|pm)\s*$/i.exec(endText)?.[1]?.toLowerCase();
  let start = clock(bare && suffix ? `${startText}${suffix}` : startText);
  if (bare && suffix === 'pm' && start && end && start >= end) start = clock(`${startText}am`);
  return start && end ? `${start}-${end}` : null;
}
