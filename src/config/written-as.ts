// What a schema accepts as written, for the schemas whose zod form cannot say it: a keyed union
// (schema.ts) reads `unknown` and transforms it, so zod's JSON Schema of it would accept anything.
// `runway schema` (json-schema.ts) puts the JSON Schema of `accepts` in its place.
import { z } from 'zod';

export const writtenAs = z.registry<{ accepts: z.ZodType }>();

/** Registers `schema` as accepting what one of `branches` accepts; returns `schema`. */
export function acceptsOneOf<S extends z.ZodType>(schema: S, branches: readonly z.ZodType[]): S {
  const [first, ...rest] = branches;
  if (first) writtenAs.add(schema, { accepts: rest.length > 0 ? z.union([first, ...rest]) : first });
  return schema;
}
