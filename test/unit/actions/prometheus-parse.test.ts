import { describe, expect, it } from 'vitest';
import { parseNumberOutput } from '../../../src/metrics/command.ts';
import { parsePrometheusResponse } from '../../../src/metrics/prometheus.ts';

const ok = (data: unknown): string => JSON.stringify({ status: 'success', data });

describe('parsePrometheusResponse', () => {
  const cases: [string, number, string, number | null, string | RegExp | undefined][] = [
    ['scalar', 200, ok({ resultType: 'scalar', result: [1, '1.5'] }), 1.5, undefined],
    [
      'vector of one',
      200,
      ok({ resultType: 'vector', result: [{ metric: {}, value: [1, '0.002'] }] }),
      0.002,
      undefined,
    ],
    ['negative', 200, ok({ resultType: 'scalar', result: [1, '-3'] }), -3, undefined],
    [
      'empty vector',
      200,
      ok({ resultType: 'vector', result: [] }),
      null,
      'no data: the query returned an empty vector',
    ],
    [
      'three series',
      200,
      ok({ resultType: 'vector', result: [{ value: [1, '1'] }, { value: [1, '1'] }, { value: [1, '1'] }] }),
      null,
      /^Prometheus returned 3 series; a gate needs exactly one/,
    ],
    [
      'NaN',
      200,
      ok({ resultType: 'scalar', result: [1, 'NaN'] }),
      null,
      'the query returned NaN (often 0/0: no requests in the window)',
    ],
    [
      '+Inf',
      200,
      ok({ resultType: 'vector', result: [{ value: [1, '+Inf'] }] }),
      null,
      'the query returned +Inf (a division by zero?)',
    ],
    [
      '-Inf',
      200,
      ok({ resultType: 'scalar', result: [1, '-Inf'] }),
      null,
      'the query returned -Inf (a division by zero?)',
    ],
    ['matrix', 200, ok({ resultType: 'matrix', result: [] }), null, /range vector/],
    [
      'string',
      200,
      ok({ resultType: 'string', result: [1, 'x'] }),
      null,
      'Prometheus returned a string result; a gate needs a number',
    ],
    [
      'error status',
      422,
      JSON.stringify({ status: 'error', errorType: 'execution', error: 'query timed out' }),
      null,
      'Prometheus query failed (execution): query timed out',
    ],
    ['HTML', 200, '<html>', null, /not JSON/],
    ['bad gateway', 502, 'Bad Gateway', null, 'Prometheus HTTP 502: Bad Gateway'],
    [
      'missing value',
      200,
      ok({ resultType: 'vector', result: [{ metric: {} }] }),
      null,
      'Prometheus sample has no value',
    ],
    ['not prometheus', 200, JSON.stringify({ hello: 'world' }), null, /has no data/],
  ];
  it.each(cases)('%s', (_name, status, body, value, error) => {
    const sample = parsePrometheusResponse(status, body);
    expect(sample.value).toBe(value);
    if (error === undefined) expect(sample.error).toBeUndefined();
    else expect(sample.error).toMatch(error);
  });
});

describe('parseNumberOutput', () => {
  const cases: [string, number | null][] = [
    ['0.5\n', 0.5],
    ['warming up\n12\n\n', 12],
    ['  7  ', 7],
    ['', null],
    ['\n\n', null],
    ['12 requests', null],
    ['NaN', null],
  ];
  it.each(cases)('%j → %s', (output, value) => {
    expect(parseNumberOutput(output, 'metric.sh').value).toBe(value);
  });
});
