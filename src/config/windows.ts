// Release windows (`windows.allow`): weekday/time ranges in one time zone. Pure: the clock is passed in.
//
// Accepted forms, case-insensitive:
//   "Tue-Thu 10:00-16:00"      a weekday range (ranges may wrap: "Fri-Mon")
//   "Mon,Wed,Fri 10:00-12:00"  a list, which may mix ranges: "Mon-Wed,Fri"
//   "Mon-Fri 22:00-02:00"      ends before it starts: crosses midnight and belongs to its start day
//   "10:00-16:00"              no days: every day
//   "Sat-Sun"                  no times: the whole day (00:00-24:00)
//   "weekdays 09:00-17:00"     weekdays = Mon-Fri, weekends = Sat-Sun
//   "always" or "*"            any day, any time
// Full day names (Monday) work too. An empty `allow` list means releases are allowed at any time.
import { DateTime, IANAZone } from 'luxon';
import { formatDuration } from './duration.ts';

export interface TimeWindow {
  /** As written in the runbook, for messages. */
  text: string;
  /** Luxon weekdays: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Minutes after local midnight. */
  startMinute: number;
  /** Minutes after local midnight, 1–1440; at or before startMinute when the window crosses midnight. */
  endMinute: number;
}

export interface Windows {
  timezone: string;
  /** Empty: always open. */
  allow: TimeWindow[];
}

export interface WindowCheck {
  open: boolean;
  /** When closed: the next time a window opens. */
  next?: Date;
  /** The windows in words: "Tue-Thu 10:00-16:00 America/Los_Angeles", or "any time". */
  description: string;
}

const WEEKDAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const DAY_NAMES: Record<string, number[]> = {
  ...Object.fromEntries(
    WEEKDAY_NAMES.flatMap((name, i) => [
      [name, [i + 1]],
      [name.slice(0, 3), [i + 1]],
    ]),
  ),
  tues: [2],
  thur: [4],
  thurs: [4],
  weekdays: [1, 2, 3, 4, 5],
  weekends: [6, 7],
};
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const FULL_DAY = 24 * 60;
const FORM_HINT = 'use a form like "Tue-Thu 10:00-16:00", "Mon,Wed 09:00-12:00" or "always"';

export function isValidTimezone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** A window from its text, or a message saying what is wrong with it. */
export function parseWindow(text: string): { ok: true; window: TimeWindow } | { ok: false; error: string } {
  const trimmed = text.trim();
  const lower = trimmed.toLowerCase();
  if (lower === '') return { ok: false, error: `an empty window; ${FORM_HINT}` };
  if (lower === 'always' || lower === '*') {
    return { ok: true, window: { text: trimmed, days: EVERY_DAY, startMinute: 0, endMinute: FULL_DAY } };
  }
  const match = /^(?:(.*?)\s+)?(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(lower);
  const dayText = match ? match[1] : lower;
  const days = dayText === undefined || dayText === '' ? EVERY_DAY : parseDays(dayText);
  if (typeof days === 'string') return { ok: false, error: days };
  if (!match) {
    return { ok: true, window: { text: trimmed, days, startMinute: 0, endMinute: FULL_DAY } };
  }
  const start = parseClock(match[2] ?? '');
  const end = parseClock(match[3] ?? '');
  if (start === null || end === null || start === FULL_DAY) {
    return { ok: false, error: `times are HH:MM between 00:00 and 24:00 (got "${trimmed}")` };
  }
  if (start === end)
    return { ok: false, error: `the window starts and ends at the same time (got "${trimmed}")` };
  return { ok: true, window: { text: trimmed, days, startMinute: start, endMinute: end } };
}

function parseDays(text: string): number[] | string {
  const days = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = /^([a-z]+)(?:\s*-\s*([a-z]+))?$/.exec(part);
    const from = range?.[1] !== undefined ? DAY_NAMES[range[1]] : undefined;
    const to = range?.[2] !== undefined ? DAY_NAMES[range[2]] : from;
    if (!from || !to || (range?.[2] !== undefined && (from.length > 1 || to.length > 1))) {
      return `"${part}" is not a day or day range; ${FORM_HINT}`;
    }
    if (from.length > 1) {
      from.forEach((d) => days.add(d));
      continue;
    }
    // Walk forward from the first day to the last, wrapping past Sunday ("Fri-Mon").
    for (let day = from[0]!; ; day = (day % 7) + 1) {
      days.add(day);
      if (day === to[0]) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

function parseClock(text: string): number | null {
  const [h, m] = text.split(':').map(Number);
  if (h === undefined || m === undefined || m > 59 || h > 24 || (h === 24 && m !== 0)) return null;
  return h * 60 + m;
}

function isOpenAt(window: TimeWindow, local: DateTime): boolean {
  const minute = local.hour * 60 + local.minute;
  const today = local.weekday;
  const yesterday = today === 1 ? 7 : today - 1;
  if (window.endMinute > window.startMinute) {
    return window.days.includes(today) && minute >= window.startMinute && minute < window.endMinute;
  }
  // Crosses midnight: the evening part belongs to today, the early morning part to yesterday's window.
  return (
    (window.days.includes(today) && minute >= window.startMinute) ||
    (window.days.includes(yesterday) && minute < window.endMinute)
  );
}

/** The first window start strictly after `now`, in wall-clock time of the zone (DST-safe). */
function nextOpening(windows: Windows, now: DateTime): DateTime | undefined {
  let best: DateTime | undefined;
  const midnight = now.startOf('day');
  for (let offset = 0; offset <= 7; offset++) {
    const day = midnight.plus({ days: offset });
    for (const window of windows.allow) {
      if (!window.days.includes(day.weekday)) continue;
      const start = day.set({ hour: Math.floor(window.startMinute / 60), minute: window.startMinute % 60 });
      if (start > now && (!best || start < best)) best = start;
    }
    if (best) return best;
  }
  return best;
}

export function describeWindows(windows: Windows): string {
  if (windows.allow.length === 0) return 'any time';
  return `${windows.allow.map((w) => w.text).join(', ')} ${windows.timezone}`;
}

/** Whether `now` falls inside any window, and when the next one opens if not. */
export function isWithinWindows(windows: Windows, now: Date): WindowCheck {
  const description = describeWindows(windows);
  if (windows.allow.length === 0) return { open: true, description };
  const local = DateTime.fromJSDate(now, { zone: windows.timezone });
  if (windows.allow.some((w) => isOpenAt(w, local))) return { open: true, description };
  const next = nextOpening(windows, local);
  return next ? { open: false, next: next.toJSDate(), description } : { open: false, description };
}

/**
 * The refusal for a start outside the windows:
 * "Production releases of checkout are allowed Tue-Thu 10:00-16:00 America/Los_Angeles; next window
 * opens Tue 10:00 (in 14h). Use --hotfix "reason" to override."
 */
export function windowRefusal(args: {
  service: string;
  environment: string;
  windows: Windows;
  now: Date;
}): string {
  const check = isWithinWindows(args.windows, args.now);
  const env = args.environment.charAt(0).toUpperCase() + args.environment.slice(1);
  let text = `${env} releases of ${args.service} are allowed ${check.description}`;
  if (check.next) {
    const at = DateTime.fromJSDate(check.next, { zone: args.windows.timezone }).setLocale('en');
    const wait = Math.ceil((check.next.getTime() - args.now.getTime()) / 60_000) * 60_000;
    text += `; next window opens ${at.toFormat('ccc HH:mm')} (in ${formatDuration(wait)})`;
  }
  return `${text}. Use --hotfix "reason" to override.`;
}
