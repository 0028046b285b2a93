// The workspace fake refuses exactly where Slack's documented limits (SLACK_LIMITS in
// src/slack/blockkit.ts) say, and accepts exactly at them: one source for both the fake and the views.
import { describe, expect, it } from 'vitest';
import { checkBlocks } from '../../../src/sandbox/workspace/block-limits.ts';
import { LIMITS, SLACK_LIMITS } from '../../../src/slack/blockkit.ts';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const x = (n: number) => 'x'.repeat(n);
const button = (over: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'b',
  text: plain('Go'),
  ...over,
});
const options = (n: number, value = (i: number) => `v${i}`) =>
  Array.from({ length: n }, (_, i) => ({ text: plain(`o${i}`), value: value(i) }));

/** A limit, and the one message built to sit exactly at size n. */
const cases: [string, number, (n: number) => unknown[]][] = [
  [
    'blocks in a message',
    SLACK_LIMITS.blocks.message,
    (n) => Array.from({ length: n }, () => ({ type: 'divider' })),
  ],
  ['section text', SLACK_LIMITS.sectionText, (n) => [{ type: 'section', text: mrkdwn(x(n)) }]],
  [
    'section fields',
    SLACK_LIMITS.sectionFields,
    (n) => [{ type: 'section', fields: Array.from({ length: n }, () => mrkdwn('f')) }],
  ],
  ['field text', SLACK_LIMITS.fieldText, (n) => [{ type: 'section', fields: [mrkdwn(x(n))] }]],
  ['header text', SLACK_LIMITS.headerText, (n) => [{ type: 'header', text: plain(x(n)) }]],
  [
    'button text',
    SLACK_LIMITS.buttonText,
    (n) => [{ type: 'actions', elements: [button({ text: plain(x(n)) })] }],
  ],
  [
    'button value',
    SLACK_LIMITS.buttonValue,
    (n) => [{ type: 'actions', elements: [button({ value: x(n) })] }],
  ],
  ['action_id', SLACK_LIMITS.actionId, (n) => [{ type: 'actions', elements: [button({ action_id: x(n) })] }]],
  ['block_id', SLACK_LIMITS.blockId, (n) => [{ type: 'divider', block_id: x(n) }]],
  [
    'actions elements',
    SLACK_LIMITS.actionsElements,
    (n) => [
      { type: 'actions', elements: Array.from({ length: n }, (_, i) => button({ action_id: `b${i}` })) },
    ],
  ],
  [
    'context elements',
    SLACK_LIMITS.contextElements,
    (n) => [{ type: 'context', elements: Array.from({ length: n }, () => mrkdwn('c')) }],
  ],
  [
    'checkbox options',
    SLACK_LIMITS.checkboxOptions,
    (n) => [{ type: 'actions', elements: [{ type: 'checkboxes', action_id: 'c', options: options(n) }] }],
  ],
  [
    'option value',
    SLACK_LIMITS.optionValue,
    (n) => [
      {
        type: 'actions',
        elements: [{ type: 'checkboxes', action_id: 'c', options: options(1, () => x(n)) }],
      },
    ],
  ],
  [
    'confirm text',
    SLACK_LIMITS.confirmText,
    (n) => [
      {
        type: 'actions',
        elements: [
          button({
            confirm: { title: plain('t'), text: plain(x(n)), confirm: plain('y'), deny: plain('n') },
          }),
        ],
      },
    ],
  ],
];

describe('the workspace reads Block Kit limits from src/slack/blockkit.ts', () => {
  it.each(cases)('accepts %s at the limit (%i) and refuses one more', (_what, limit, build) => {
    expect(checkBlocks(build(limit), 'message').ok).toBe(true);
    const over = checkBlocks(build(limit + 1), 'message');
    expect(over.ok).toBe(false);
  });

  it("holds Runway's views to limits no looser than Slack's", () => {
    for (const [name, value] of Object.entries(LIMITS)) {
      const slack = SLACK_LIMITS[name as keyof typeof SLACK_LIMITS];
      if (typeof value === 'number') expect(value, name).toBeLessThanOrEqual(slack as number);
    }
  });
});
