// The building blocks of the runbook's zod schemas (schema.ts): durations, names, and the keyed union
// that picks a kind by its key so problems point at the field that is wrong.
import { z } from 'zod';
import { parseDuration } from './duration.ts';
import { acceptsOneOf } from './written-as.ts';

// The union's own message matters: inside keyedUnion a union's branch errors would surface as "Invalid input".
export const durationSchema = z
  .union([z.string(), z.number().nonnegative()], { error: 'expected a duration like 500ms, 30s, 5m or 1h' })
  .transform((value, ctx) => {
    if (typeof value === 'number') return value * 1000; // a bare number is seconds
    const ms = parseDuration(value);
    if (ms === null) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration like 500ms, 30s, 5m or 1h, got "${value}"`,
      });
      return z.NEVER;
    }
    return ms;
  });

export interface RawProblem {
  path: PropertyKey[];
  message: string;
}

/** Re-raise a nested parse's issues from inside a transform, where they keep their paths. */
export function forwardIssues(issues: readonly z.core.$ZodIssue[], ctx: z.RefinementCtx): void {
  for (const issue of issues) {
    // params carry the value-check tag (values.ts) through.
    const params = issue.code === 'custom' ? issue.params : undefined;
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[], params });
  }
}

/**
 * A union chosen by which kind key is present (`command`, `webhook`, …), so an error points at the
 * field that is wrong inside the chosen kind instead of listing every branch that did not match.
 * `check` looks at the raw mapping whatever the kind's schema says, so its problems (placeholders,
 * thresholds) are not held back until the shape is right.
 */
export function keyedUnion<const T extends Record<string, z.ZodType>>(
  what: string,
  branches: T,
  check?: (value: Record<string, unknown>) => RawProblem[],
) {
  const kinds = Object.keys(branches);
  const schema = z.unknown().transform((value, ctx): z.output<T[keyof T]> => {
    const mapping =
      value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    const kind = mapping ? kinds.filter((k) => k in mapping) : [];
    let parsed: z.output<T[keyof T]> | typeof z.NEVER = z.NEVER;
    if (kind.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          kind.length === 0
            ? `expected ${what} with one of: ${kinds.join(', ')}`
            : `${what} has more than one kind: ${kind.join(', ')}`,
      });
    } else {
      const result = (branches[kind[0]!] as z.ZodType).safeParse(value);
      if (result.success) parsed = result.data as z.output<T[keyof T]>;
      else forwardIssues(result.error.issues, ctx);
    }
    for (const problem of mapping && check ? check(mapping) : []) {
      ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
    }
    return parsed;
  });
  return acceptsOneOf(schema, Object.values(branches));
}

export const nameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'expected a name of letters, digits, - and _');
export const userOrGroupId = z
  .string()
  .regex(/^[USW][A-Z0-9]+$/, 'expected a Slack user ID (U…) or user-group ID (S…)');
export const stringMap = z.record(z.string(), z.string());
