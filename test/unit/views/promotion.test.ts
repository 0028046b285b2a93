// The promotion views: the Start in <env> buttons under a completion post, and the card lines that
// link a promoted release and its source both ways.
import { describe, expect, it } from 'vitest';
import {
  START_IN_ACTION_ID,
  parseStartInValue,
  promotionBlock,
  startInValue,
  threadBlocks,
} from '../../../src/slack/views/promotion.ts';
import { releaseCard } from '../../../src/slack/views/release-card.ts';
import { validateBlocks } from '../../../src/slack/blockkit.ts';
import { newRelease } from './fixture.ts';

const release = (over: Parameters<typeof newRelease>[1] = {}) => newRelease(undefined, over);

const released = {
  kind: 'released' as const,
  service: 'checkout',
  version: 'v1.2.3',
  environment: 'staging',
  promoteTo: ['production', 'eu-prod'],
};

describe('Start in <env> buttons', () => {
  it('puts one button per target under the completion post, named after it', () => {
    const blocks = threadBlocks(released, 'live', 'checkout-staging-1')!;
    expect(validateBlocks(blocks, { surface: 'message' })).toEqual([]);
    const actions = blocks.find((b) => b.type === 'actions') as {
      elements: { action_id: string; text: { text: string }; value: string }[];
    };
    expect(actions.elements.map((e) => e.text.text)).toEqual(['Start in production', 'Start in eu-prod']);
    expect(actions.elements.map((e) => e.action_id)).toEqual(['release_start_in_0', 'release_start_in_1']);
    for (const e of actions.elements) expect(e.action_id).toMatch(START_IN_ACTION_ID);
    expect(actions.elements.map((e) => parseStartInValue(e.value))).toEqual([
      { releaseId: 'checkout-staging-1', environment: 'production' },
      { releaseId: 'checkout-staging-1', environment: 'eu-prod' },
    ]);
  });
  it('has no buttons for other notes or a completion with no target', () => {
    expect(threadBlocks({ ...released, promoteTo: [] }, 'x', 'r')).toBeUndefined();
    expect(threadBlocks({ kind: 'preflightComplete' }, 'x', 'r')).toBeUndefined();
  });
  it('round-trips and refuses malformed values', () => {
    expect(parseStartInValue(startInValue('a-b-c', 'prod'))).toEqual({
      releaseId: 'a-b-c',
      environment: 'prod',
    });
    for (const bad of ['', 'no-separator', '|prod', 'id|']) expect(parseStartInValue(bad)).toBeNull();
  });
});

describe('card links between a promoted release and its source', () => {
  it('links the new card back to the source card', () => {
    const r = release({
      promotedFrom: { releaseId: 's-1', environment: 'staging', card: { channel: 'CREL', ts: '1.000200' } },
    });
    const text = JSON.stringify(releaseCard(r, { now: new Date() }).blocks);
    expect(text).toContain('Promoted from <https://slack.com/archives/CREL/p1000200|staging card>');
  });
  it('links the source card to each release started from it', () => {
    const r = release({
      promotedTo: [
        { releaseId: 'p-1', environment: 'production', card: { channel: 'CREL', ts: '2.000300' } },
      ],
    });
    expect(JSON.stringify(promotionBlock(r))).toContain(
      'Started in <https://slack.com/archives/CREL/p2000300|production>',
    );
  });
  it('shows nothing for a release outside any promotion', () => {
    expect(promotionBlock(release())).toBeNull();
  });
});
