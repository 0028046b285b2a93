// Typed reads of Web API arguments. Form bodies carry everything as strings ("true", "20", '[{"type":…}]'),
// JSON bodies carry real values: each accessor accepts both, as Slack does.
import type { Args } from './body.ts';

/** A Slack error answer raised from deep inside a method (e.g. a malformed JSON argument). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

export function str(args: Args, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function required(args: Args, key: string): string {
  const value = str(args, key);
  if (value === undefined)
    throw new ApiError('invalid_arguments', {
      response_metadata: { messages: [`[ERROR] missing required field: ${key}`] },
    });
  return value;
}

export function bool(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function int(args: Args, key: string): number | undefined {
  const value = args[key];
  const parsed =
    typeof value === 'number' ? value : typeof value === 'string' ? Number.parseInt(value, 10) : NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** A structured argument (blocks, view, files): a JSON string from a form, or the value itself from JSON. */
export function json(args: Args, key: string, malformed = 'invalid_arguments'): unknown {
  const value = args[key];
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new ApiError(malformed, { response_metadata: { messages: [`[ERROR] ${key} is not valid JSON`] } });
  }
}

/** `users=U1,U2` (comma list) or a JSON array. */
export function list(args: Args, key: string): string[] {
  const value = args[key];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
