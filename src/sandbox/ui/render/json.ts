// Reading Block Kit JSON without trusting its shape: the bot may send anything, the page must not throw.
import type { Json, JsonObject } from '../../workspace/types.ts';

export const obj = (value: Json | undefined): JsonObject | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;

export const list = (value: Json | undefined): JsonObject[] =>
  Array.isArray(value) ? value.map(obj).filter((v): v is JsonObject => v !== undefined) : [];

export const str = (value: Json | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** A text object's text, whatever its type. */
export const textOf = (value: Json | undefined): string => str(obj(value)?.text) ?? '';
