import { describe, expect, it } from 'vitest';
import { jsonPathProblem, parseJsonPath, readJsonPath, toNumber } from '../../../src/metrics/json-path.ts';
import { numberAt } from '../../../src/metrics/http.ts';

describe('parseJsonPath', () => {
  const cases: [string, (string | number)[] | null][] = [
    ['data.error_rate', ['data', 'error_rate']],
    ['$.data.error_rate', ['data', 'error_rate']],
    ['items[0].value', ['items', 0, 'value']],
    ['$.items[12]', ['items', 12]],
    ['$["a.b"].c', ['a.b', 'c']],
    ["$['x y']", ['x y']],
    ['error-rate', ['error-rate']],
    ['data..x', null],
    ['items[a]', null],
    ['items[-1]', null],
  ];
  it.each(cases)('%s', (path, segments) => {
    expect(parseJsonPath(path)).toEqual(segments);
  });
});

describe('readJsonPath', () => {
  const doc = { data: { rate: 0.5, list: [10, 20] }, top: [1] };
  const cases: [string, unknown][] = [
    ['data.rate', { found: true, value: 0.5 }],
    ['data.list[1]', { found: true, value: 20 }],
    ['data.nope', { found: false, reason: '`$.data` has no key "nope"' }],
    ['data.rate.x', { found: false, reason: '`$.data.rate` is not an object' }],
    ['data[0]', { found: false, reason: '`$.data` is not an array' }],
    ['top[3]', { found: false, reason: '`$.top` has 1 elements, no [3]' }],
    ['$', { found: true, value: doc }],
    ['a b', { found: false, reason: 'cannot read the path "a b"' }],
  ];
  it.each(cases)('%s', (path, result) => {
    expect(readJsonPath(doc, path)).toEqual(result);
  });
});

describe('jsonPathProblem (checked when the runbook loads)', () => {
  it.each([
    ['$', null],
    ['data.error_rate', null],
    ['$.items[0].value', null],
    ['a[*]', 'cannot read the path "a[*]"'],
    ['items.0.value', 'cannot read the path "items.0.value"'],
    ['   ', 'cannot read the path "   "'],
  ])('%s', (path, problem) => {
    const got = jsonPathProblem(path);
    if (problem === null) expect(got).toBeNull();
    else expect(got).toContain(problem);
  });

  it('a root path reads an endpoint that answers with the number itself', () => {
    expect(numberAt('0.42', '$')).toEqual({ value: 0.42 });
  });
});

describe('toNumber', () => {
  const cases: [unknown, number | null][] = [
    [1.5, 1.5],
    [0, 0],
    ['0.002', 0.002],
    [' 42 ', 42],
    ['1e-3', 0.001],
    ['', null],
    ['  ', null],
    ['abc', null],
    ['NaN', null],
    ['Infinity', null],
    [Number.NaN, null],
    [true, null],
    [null, null],
    [[1], null],
  ];
  it.each(cases)('%j → %s', (value, number) => {
    expect(toNumber(value)).toBe(number);
  });
});

describe('numberAt', () => {
  it('reads a number or says why not', () => {
    expect(numberAt('{"a":{"b":"3"}}', 'a.b')).toEqual({ value: 3 });
    expect(numberAt('nope', 'a')).toEqual({ value: null, error: 'the response is not JSON: nope' });
    expect(numberAt('{"a":[1]}', 'a')).toEqual({ value: null, error: 'a is [1], not a number' });
  });
});
