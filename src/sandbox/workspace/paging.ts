// Slack's cursor paging: an opaque base64 cursor naming the first item of the next page, and an empty
// next_cursor on the last page. Keyed by item id, so items added between pages do not shift the pages.
import { ApiError, int, str } from './args.ts';
import type { Args } from './body.ts';

export interface Page<T> {
  items: T[];
  next_cursor: string;
  has_more: boolean;
}

const encode = (key: string): string => Buffer.from(`next:${key}`).toString('base64');

function decode(cursor: string): string {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  if (!text.startsWith('next:')) throw new ApiError('invalid_cursor');
  return text.slice('next:'.length);
}

/** One page of `items` per the `limit` and `cursor` arguments; `maxPageSize` caps the page like Slack may. */
export function paginate<T>(
  items: T[],
  keyOf: (item: T) => string,
  args: Args,
  options: { defaultLimit: number; maxPageSize: number },
): Page<T> {
  const asked = int(args, 'limit') ?? 0;
  const limit = Math.min(asked > 0 ? asked : options.defaultLimit, 1000, options.maxPageSize);
  const cursor = str(args, 'cursor');
  let start = 0;
  if (cursor) {
    const key = decode(cursor);
    start = items.findIndex((item) => keyOf(item) === key);
    if (start < 0) throw new ApiError('invalid_cursor');
  }
  const page = items.slice(start, start + limit);
  const next = items[start + limit];
  return { items: page, next_cursor: next ? encode(keyOf(next)) : '', has_more: next !== undefined };
}
