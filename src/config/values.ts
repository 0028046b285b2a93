// Checks of single values (URLs, time zones, release windows, cron, `{{placeholders}}`) as zod
// schemas, so they are reported in the same run, and in the same order, as type errors: a file with
// `no_data: maybe` still gets told about its `Mars/Olympus` time zone.
import { validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { TEMPLATE_NAMES, unknownPlaceholders } from './template.ts';
import { isValidTimezone, parseWindow } from './windows.ts';

/**
 * Marks an issue whose verdict depends on the whole value. A value still holding an unresolved
 * `${NAME}` fails such a check only because the variable is missing, which is already reported.
 */
const VALUE_CHECK = { valueCheck: true } as const;

export function isValueCheck(issue: { code: string; params?: unknown }): boolean {
  return issue.code === 'custom' && (issue.params as typeof VALUE_CHECK | undefined)?.valueCheck === true;
}

type Verdict = string | null;

/** A string schema that reports `check`'s message, if any, tagged as a value check. */
function checkedString(check: (value: string) => Verdict) {
  return z.string().superRefine((value, ctx) => {
    const message = check(value);
    if (message !== null) ctx.addIssue({ code: 'custom', message, params: VALUE_CHECK });
  });
}

// Any `{{name}}` as template.ts reads them, known or not: an unknown name is the placeholder check's
// to report, not the URL's.
const ANY_PLACEHOLDER = /\{\{\s*[a-z_]+\s*\}\}/g;

export function urlProblem(value: string): Verdict {
  let url: URL;
  try {
    // "0" parses as a host, a path segment and a query value alike.
    url = new URL(value.replace(ANY_PLACEHOLDER, '0'));
  } catch {
    return 'expected an absolute URL like https://example.com/path';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'expected an http:// or https:// URL';
  }
  return null;
}

export function timezoneProblem(value: string): Verdict {
  return isValidTimezone(value)
    ? null
    : `unknown time zone "${value}" (use an IANA name like America/Los_Angeles, Europe/Paris or UTC)`;
}

export function windowProblem(value: string): Verdict {
  const parsed = parseWindow(value);
  return parsed.ok ? null : parsed.error;
}

export function cronProblem(value: string): Verdict {
  return isValidCron(value)
    ? null
    : `"${value}" is not a cron expression (minute hour day-of-month month weekday, like "0 9 * * 1-5")`;
}

export const urlSchema = checkedString(urlProblem);
export const timezoneSchema = checkedString(timezoneProblem);
export const windowSchema = checkedString(windowProblem);
export const cronSchema = checkedString(cronProblem);

type Found = { path: PropertyKey[]; message: string };

/** Every string inside a raw value, with its path inside the value, checked by `check`. */
function inStrings(value: unknown, check: (text: string) => string[], path: PropertyKey[] = []): Found[] {
  if (typeof value === 'string') return check(value).map((message) => ({ path, message }));
  if (Array.isArray(value)) return value.flatMap((v, i) => inStrings(v, check, [...path, i]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => inStrings(v, check, [...path, k]));
  return [];
}

const PERCENT = /\{\{\s*percent\s*\}\}/;

/**
 * `{{percent}}` in an action that can never have one: among actions only the traffic action is given
 * a percent (the stage's, or 0 in a rollback); a deploy, smoke or custom action would fail when it runs.
 */
export function percentProblems(value: unknown, path: PropertyKey[] = []): Found[] {
  return inStrings(
    value,
    (text) =>
      PERCENT.test(text)
        ? ['{{percent}} only has a value in the traffic action (and in gates: the current traffic)']
        : [],
    path,
  );
}

/** Unknown `{{names}}` in every string inside a raw value, each with its path inside the value. */
export function placeholderProblems(value: unknown, path: PropertyKey[] = []): Found[] {
  return inStrings(
    value,
    (text) =>
      unknownPlaceholders(text).map(
        (name) => `unknown placeholder {{${name}}} (known: ${TEMPLATE_NAMES.join(', ')})`,
      ),
    path,
  );
}
