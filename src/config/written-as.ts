// What a schema accepts as written, for the schemas whose zod form cannot say it: a keyed union
// (schema.ts) reads `unknown` and transforms it, so zod's JSON Schema of it would accept anything.
// `runway schema` (json-schema.ts) puts the JSON Schema of its branches (any one of them) in its place.
import type { z } from 'zod';

const branchesOf = new WeakMap<z.core.$ZodType, readonly z.core.$ZodType[]>();

/** Registers `schema` as accepting what one of `branches` accepts; returns `schema`. */
export function acceptsOneOf<S extends z.core.$ZodType>(schema: S, branches: readonly z.core.$ZodType[]): S {
  branchesOf.set(schema, branches);
  return schema;
}

/** The branches `schema` was registered with, if any. */
export function writtenAs(schema: z.core.$ZodType): readonly z.core.$ZodType[] | undefined {
  return branchesOf.get(schema);
}
