import { describe, expect, it } from 'vitest';
import { headOf, TailBuffer } from '../../../src/actions/tail.ts';

const fill = (chunks: (string | Buffer)[], limits = { maxBytes: 64, maxLines: 3 }): TailBuffer => {
  const tail = new TailBuffer(limits);
  for (const chunk of chunks) tail.push(chunk);
  return tail;
};

describe('TailBuffer', () => {
  const cases: [string, (string | Buffer)[], string][] = [
    ['empty', [], ''],
    ['one line', ['hello\n'], 'hello'],
    ['no trailing newline', ['a\nb'], 'a\nb'],
    ['keeps the last lines', ['1\n2\n3\n4\n5\n'], '3\n4\n5'],
    ['lines split over chunks', ['li', 'ne 1\nline', ' 2\n'], 'line 1\nline 2'],
    ['byte limit keeps the end of a long line', ['x'.repeat(100) + 'END\n'], 'x'.repeat(60) + 'END'], // 64 bytes with the newline
    ['ANSI colours removed', ['\u001b[31mred\u001b[0m\n'], 'red'],
    ['progress bar keeps the last state', ['10%\r50%\r100%\n'], '100%'],
    ['CRLF', ['a\r\nb\r\n'], 'a\nb'],
    [
      'does not start mid-character',
      [Buffer.concat([Buffer.from('é'.repeat(40)), Buffer.from('\n')])],
      'é'.repeat(31),
    ],
  ];
  it.each(cases)('%s', (_name, chunks, text) => {
    expect(fill(chunks).text()).toBe(text);
  });

  it('stays bounded however much is pushed', () => {
    const tail = new TailBuffer({ maxBytes: 4096, maxLines: 40 });
    const chunk = Buffer.from('y'.repeat(1000) + '\n');
    for (let i = 0; i < 10_000; i++) tail.push(chunk);
    tail.push('last line\n');
    expect(tail.totalBytes).toBe(10_000 * 1001 + 10);
    expect(Buffer.byteLength(tail.text())).toBeLessThanOrEqual(4096);
    expect(tail.text().endsWith('last line')).toBe(true);
  });
});

describe('headOf', () => {
  const cases: [string, number, string][] = [
    ['short', 10, 'short'],
    ['abcdefghij', 4, 'abcd…'],
    ['ééé', 3, 'é…'],
  ];
  it.each(cases)('%s / %i', (body, max, head) => {
    expect(headOf(body, max)).toBe(head);
  });
});
