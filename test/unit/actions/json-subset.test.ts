import { describe, expect, it } from 'vitest';
import { subsetMismatch } from '../../../src/actions/json-subset.ts';

describe('subsetMismatch (expect_json)', () => {
  const cases: [string, unknown, unknown, string | null][] = [
    ['equal primitives', 'healthy', 'healthy', null],
    ['different strings', 'degraded', 'healthy', '`$` was "degraded", expected "healthy"'],
    ['number vs string is strict', 1, '1', '`$` was 1, expected "1"'],
    ['booleans', true, true, null],
    ['null', null, null, null],
    ['extra keys are fine', { status: 'healthy', uptime: 5 }, { status: 'healthy' }, null],
    [
      'nested value differs',
      { status: 'degraded' },
      { status: 'healthy' },
      '`$.status` was "degraded", expected "healthy"',
    ],
    ['missing key', { ok: true }, { status: 'healthy' }, '`$.status` is missing, expected "healthy"'],
    [
      'deep path',
      { db: { primary: { up: false } } },
      { db: { primary: { up: true } } },
      '`$.db.primary.up` was false, expected true',
    ],
    ['object expected', { db: 'up' }, { db: { up: true } }, '`$.db` was "up", expected an object'],
    ['array expected', { items: {} }, { items: [] }, '`$.items` was an object, expected an array'],
    ['array length differs', { items: [1, 2] }, { items: [1] }, '`$.items` has 2 elements, expected 1'],
    [
      'array elements are subsets',
      { items: [{ a: 1, b: 2 }, { a: 3 }] },
      { items: [{ a: 1 }, { a: 3 }] },
      null,
    ],
    [
      'array element differs',
      { items: [{ a: 1 }, { a: 4 }] },
      { items: [{ a: 1 }, { a: 3 }] },
      '`$.items[1].a` was 4, expected 3',
    ],
    ['odd key names are quoted', { 'x-y': 1 }, { 'x-y': 2 }, '`$["x-y"]` was 1, expected 2'],
    ['null where object expected', null, { a: 1 }, '`$` was null, expected an object'],
    ['empty expected object matches any object', { a: 1 }, {}, null],
  ];
  it.each(cases)('%s', (_name, actual, expected, result) => {
    expect(subsetMismatch(actual, expected)).toBe(result);
  });
});
