import { describe, expect, it } from 'vitest';
import { checkBlocks } from '../../../src/sandbox/workspace/block-limits.ts';
import { withGeneratedIds } from '../../../src/sandbox/workspace/block-walk.ts';
import { messageText } from '../../helpers/message-text.ts';
import { buildState } from '../../../src/sandbox/workspace/view-state.ts';
import type { JsonObject } from '../../../src/sandbox/workspace/types.ts';

const plain = (text: string) => ({ type: 'plain_text', text });
const checkboxes = (initial: string[]): JsonObject => ({
  type: 'checkboxes',
  action_id: 'preflight_tick',
  options: [
    { text: plain('Backup'), value: 'backup' },
    { text: plain('CI'), value: 'ci' },
  ],
  initial_options: initial.map((value) => ({ text: plain(value === 'backup' ? 'Backup' : 'CI'), value })),
});

describe('Block Kit limits', () => {
  it('accepts a typical release card', () => {
    const card = [
      { type: 'header', text: plain('checkout v1.2.3 → production') },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*State*\nwaiting' }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'requested by <@UALICE>' }] },
      { type: 'divider' },
      { type: 'actions', elements: [checkboxes(['backup'])] },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'release_rollback',
            text: plain('Roll back'),
            style: 'danger',
            confirm: {
              title: plain('Roll back?'),
              text: plain('Traffic goes to 0%.'),
              confirm: plain('Roll back'),
              deny: plain('Cancel'),
            },
          },
        ],
      },
    ];
    expect(checkBlocks(card, 'message')).toMatchObject({ ok: true });
  });

  it('names each problem with its json-pointer', () => {
    const result = checkBlocks(
      [
        { type: 'header', text: { type: 'mrkdwn', text: 'x' } },
        { type: 'header', text: plain('h'.repeat(151)) },
        { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'a', text: plain('A'), style: 'green' },
            { type: 'button', action_id: 'a', text: plain('B') },
          ],
        },
        { type: 'actions', elements: [checkboxes(['nope'])] },
        { type: 'carousel' },
      ],
      'message',
    );
    expect(result).toEqual({
      ok: false,
      error: 'invalid_blocks',
      errors: [
        'must be plain_text [json-pointer:/blocks/0/text/type]',
        'must be less than 151 characters [json-pointer:/blocks/1/text/text]',
        'must provide 1 to 10 elements [json-pointer:/blocks/2/elements]',
        'must be primary or danger [json-pointer:/blocks/3/elements/0/style]',
        'duplicate action_id a [json-pointer:/blocks/3/elements/1/action_id]',
        'must match one of the options [json-pointer:/blocks/4/elements/0/initial_options/0]',
        'unsupported type: carousel [json-pointer:/blocks/5/type]',
      ],
    });
    expect(checkBlocks('nope', 'message')).toMatchObject({ ok: false, error: 'invalid_blocks_format' });
    expect(
      checkBlocks(
        Array.from({ length: 100 }, () => ({ type: 'divider' })),
        'view',
      ),
    ).toMatchObject({ ok: true });
  });

  it('gives blocks and elements ids where the app left them out, like Slack', () => {
    const [block] = withGeneratedIds([
      { type: 'actions', elements: [{ type: 'button', text: plain('Go') }] },
    ]);
    expect(block?.block_id).toEqual(expect.any(String));
    expect((block?.elements as JsonObject[])[0]?.action_id).toEqual(expect.any(String));
  });

  it('reads the text a person sees, blocks included', () => {
    const text = messageText({
      text: 'fallback',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*error rate* 0.9%' } },
        { type: 'actions', elements: [{ type: 'button', text: plain('Roll back') }] },
      ],
    });
    expect(text).toBe('fallback\n*error rate* 0.9%\nRoll back');
  });

  it('builds state.values from initial values and what the user picked', () => {
    const blocks: JsonObject[] = [
      { type: 'actions', block_id: 'pre', elements: [checkboxes(['backup'])] },
      {
        type: 'input',
        block_id: 'when',
        label: plain('When'),
        element: { type: 'datepicker', action_id: 'date', initial_date: '2024-11-23' },
      },
      {
        type: 'input',
        block_id: 'who',
        label: plain('Who'),
        element: { type: 'users_select', action_id: 'user' },
      },
    ];
    expect(buildState(blocks, { who: { user: 'UBOB' } })).toEqual({
      pre: {
        preflight_tick: {
          type: 'checkboxes',
          selected_options: [{ text: plain('Backup'), value: 'backup' }],
        },
      },
      when: { date: { type: 'datepicker', selected_date: '2024-11-23' } },
      who: { user: { type: 'users_select', selected_user: 'UBOB' } },
    });
  });
});
