import { describe, expect, it } from 'vitest';
import type { Block, KnownBlock } from '@slack/types';
import {
  FIT_MORE_BLOCK_ID,
  LIMITS,
  defuseBroadcasts,
  escapeMrkdwn,
  fitBlocks,
  truncate,
  truncateStart,
  validateBlocks,
  validateMessage,
} from '../../../src/slack/blockkit.ts';

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });
const plain = (text: string) => ({ type: 'plain_text' as const, text });
const sectionOf = (text: string, block_id?: string): KnownBlock => ({
  type: 'section',
  ...(block_id ? { block_id } : {}),
  text: mrkdwn(text),
});
const buttonOf = (over: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'a',
  text: plain('Go'),
  value: 'v',
  ...over,
});
const actionsOf = (elements: unknown[], block_id = 'actions'): Block =>
  ({ type: 'actions', block_id, elements }) as Block;
const option = (value: string, text = value) => ({ text: plain(text), value });

describe('truncate', () => {
  it('leaves short text alone and cuts long text to the limit, ending with …', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('hello world', 8)).toBe('hello w…');
    expect(truncate('hello world', 8)).toHaveLength(8);
  });

  it('never cuts an escaped entity in half', () => {
    expect(truncate('a &amp; b', 5)).toBe('a …');
  });

  it('keeps the end of output tails with truncateStart', () => {
    expect(truncateStart('line1\nline2\nline3', 7)).toBe('…\nline3');
  });
});

describe('escaping', () => {
  it('makes typed text inert', () => {
    expect(escapeMrkdwn('<!here> & <@U1>')).toBe('&lt;!here&gt; &amp; &lt;@U1&gt;');
  });

  it('keeps user mentions but defuses broadcasts', () => {
    expect(defuseBroadcasts('by <@UBOB>: <!channel> <!subteam^S1|sre>')).toBe(
      'by <@UBOB>: &lt;!channel&gt; &lt;!subteam^S1|sre&gt;',
    );
    // A reason typed by a person cannot make a link or break the markup; 1 < 2 & 3 > 2 reads as typed.
    expect(
      defuseBroadcasts('paused by <@W0ALICE>: see <https://evil.example|the runbook> (1 < 2 & 3 > 2)'),
    ).toBe('paused by <@W0ALICE>: see &lt;https://evil.example|the runbook&gt; (1 &lt; 2 &amp; 3 &gt; 2)');
  });
});

describe('validateBlocks finds each kind of violation', () => {
  const long = (n: number) => 'x'.repeat(n);
  const cases: [string, (KnownBlock | Block)[], string][] = [
    [
      'too many blocks',
      Array.from({ length: 51 }, (_, i) => sectionOf('hi', `b${i}`)),
      '51 blocks (max 50 in a message)',
    ],
    ['section text over 3000', [sectionOf(long(3001))], 'section text is 3001 characters (max 3000)'],
    ['empty section text', [sectionOf('  ')], 'section text is empty'],
    ['section with nothing', [{ type: 'section' } as KnownBlock], 'section has neither text nor fields'],
    [
      '11 fields',
      [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }],
      '11 section fields (max 10)',
    ],
    [
      'a field over 2000',
      [{ type: 'section', fields: [mrkdwn(long(2001))] }],
      'fields[0] is 2001 characters (max 2000)',
    ],
    [
      'header over 150',
      [{ type: 'header', text: plain(long(151)) }],
      'header text is 151 characters (max 150)',
    ],
    [
      'mrkdwn header',
      [{ type: 'header', text: mrkdwn('hi') } as unknown as KnownBlock],
      'header text must be plain_text',
    ],
    [
      'button text over 75',
      [actionsOf([buttonOf({ text: plain(long(76)) })])],
      'button text is 76 characters (max 75)',
    ],
    [
      'button value over 2000',
      [actionsOf([buttonOf({ value: long(2001) })])],
      'button value is 2001 characters (max 2000)',
    ],
    [
      'action_id over 255',
      [actionsOf([buttonOf({ action_id: long(256) })])],
      'action_id is 256 characters (max 255)',
    ],
    ['block_id over 255', [sectionOf('hi', long(256))], 'block_id is 256 characters (max 255)'],
    [
      '26 elements in an actions block',
      [actionsOf(Array.from({ length: 26 }, (_, i) => buttonOf({ action_id: `a${i}` })))],
      '26 elements in an actions block (max 25)',
    ],
    ['empty actions block', [actionsOf([])], 'actions block has no elements'],
    [
      '11 context elements',
      [{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) }],
      '11 elements in a context block (max 10)',
    ],
    [
      '11 checkbox options',
      [
        actionsOf([
          {
            type: 'checkboxes',
            action_id: 'c',
            options: Array.from({ length: 11 }, (_, i) => option(`o${i}`)),
          },
        ]),
      ],
      '11 options (max 10)',
    ],
    [
      'option text over 75',
      [actionsOf([{ type: 'checkboxes', action_id: 'c', options: [option('o', long(76))] }])],
      'options[0] text is 76 characters (max 75)',
    ],
    [
      'initial option not among the options',
      [
        actionsOf([
          { type: 'checkboxes', action_id: 'c', options: [option('a')], initial_options: [option('b')] },
        ]),
      ],
      'initial_options[0] is not one of the options',
    ],
    ['duplicate block_id', [sectionOf('a', 'same'), sectionOf('b', 'same')], 'duplicate block_id "same"'],
    [
      'duplicate action_id in one block',
      [actionsOf([buttonOf({ action_id: 'go' }), buttonOf({ action_id: 'go' })])],
      'duplicate action_id "go" in one block',
    ],
    [
      'confirm text over 300',
      [
        actionsOf([
          buttonOf({
            confirm: {
              title: plain('Sure?'),
              text: plain(long(301)),
              confirm: plain('Yes'),
              deny: plain('No'),
            },
          }),
        ]),
      ],
      'confirm text is 301 characters (max 300)',
    ],
    ['bad button style', [actionsOf([buttonOf({ style: 'green' })])], 'button style "green"'],
  ];

  it.each(cases)('%s', (_name, blocks, expected) => {
    const problems = validateBlocks(blocks, { surface: 'message' });
    expect(
      problems.some((p) => p.includes(expected)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('allows the same action_id in different blocks, and 100 blocks on the Home tab', () => {
    expect(
      validateBlocks([actionsOf([buttonOf()], 'one'), actionsOf([buttonOf()], 'two')], {
        surface: 'message',
      }),
    ).toEqual([]);
    const hundred = Array.from({ length: 100 }, (_, i) => sectionOf('hi', `b${i}`));
    expect(validateBlocks(hundred, { surface: 'home' })).toEqual([]);
    expect(validateBlocks(hundred, { surface: 'modal' })).toEqual([]);
    expect(validateBlocks(hundred, { surface: 'message' })).toEqual(['100 blocks (max 50 in a message)']);
  });

  it('names the block in each problem', () => {
    expect(
      validateBlocks([sectionOf('ok', 'first'), sectionOf('', 'second')], { surface: 'message' }),
    ).toEqual(['blocks[1] (second): section text is empty']);
  });

  it('checks a message’s text fallback', () => {
    expect(validateMessage({ text: 'x'.repeat(LIMITS.messageText + 1), blocks: [] })).toEqual([
      'message text is 3001 characters (max 3000)',
    ]);
    expect(validateMessage({ text: '', blocks: [] })).toEqual(['message text fallback is empty']);
    expect(validateMessage({ text: 'ok', blocks: [sectionOf('hi')] })).toEqual([]);
  });
});

describe('fitBlocks', () => {
  const many = (n: number): KnownBlock[] => [
    { type: 'header', block_id: 'head', text: plain('Title') },
    sectionOf('state', 'state'),
    ...Array.from({ length: n }, (_, i): KnownBlock =>
      i % 5 === 4 ? { type: 'divider', block_id: `d${i}` } : sectionOf(`line ${i}`, `m${i}`),
    ),
    actionsOf([buttonOf()], 'buttons') as KnownBlock,
  ];

  it('returns the blocks as they are when they fit', () => {
    expect(fitBlocks(many(10), 'message')).toHaveLength(13);
  });

  it('drops dividers first', () => {
    const fitted = fitBlocks(many(50), 'message'); // 53 blocks, 10 of them dividers
    expect(fitted).toHaveLength(43);
    expect(fitted.some((b) => b.type === 'divider')).toBe(false);
    expect(fitted.some((b) => b.block_id === FIT_MORE_BLOCK_ID)).toBe(false);
  });

  it('keeps header, state and buttons and collapses the middle into "…N more"', () => {
    const fitted = fitBlocks(many(100), 'message'); // 80 sections in the middle once dividers go
    expect(fitted).toHaveLength(50);
    expect(fitted.slice(0, 2).map((b) => b.block_id)).toEqual(['head', 'state']);
    expect(fitted.at(-1)?.block_id).toBe('buttons');
    const more = fitted.at(-2) as { block_id: string; elements: { text: string }[] };
    expect(more.block_id).toBe(FIT_MORE_BLOCK_ID);
    expect(more.elements[0]?.text).toMatch(/^…34 more not shown/);
    expect(validateBlocks(fitted, { surface: 'message' })).toEqual([]);
  });

  it('uses the 100-block limit of the Home tab', () => {
    expect(fitBlocks(many(200), 'home')).toHaveLength(100);
  });
});
