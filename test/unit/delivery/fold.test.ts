import { describe, expect, it } from 'vitest';
import { foldHead } from '../../../src/slack/delivery/fold.ts';
import type { Post, QueuedPost } from '../../../src/slack/delivery/types.ts';

function q(key: string, text: string, extra: Partial<Post> = {}): QueuedPost {
  const post: Post = {
    key,
    channel: 'CRELEASES',
    thread: { ref: 'card-r1' },
    text,
    kind: 'routine',
    foldKey: 'r1',
    at: 0,
    ...extra,
  };
  return { raw: JSON.stringify(post), post };
}

const keys = (items: QueuedPost[] | undefined) => items?.map((i) => i.post.key);

describe('folding routine lines when the channel is busy', () => {
  it('posts the head alone when the channel is quiet', () => {
    const f = foldHead([q('a', 'Stage 1 started'), q('b', 'Stage 1 done')], false);
    expect(keys(f?.items)).toEqual(['a']);
    expect(f?.text).toBe('Stage 1 started');
  });

  it('folds stage started and stage done of one release into one post, in order', () => {
    const f = foldHead([q('a', 'Stage 1 started'), q('b', 'Stage 1 done')], true);
    expect(keys(f?.items)).toEqual(['a', 'b']);
    expect(f?.text).toBe('Stage 1 started\nStage 1 done');
  });

  it('skips over other releases’ posts, which keep their place', () => {
    const f = foldHead(
      [
        q('a', 'r1 started'),
        q('x', 'r2 started', { foldKey: 'r2', thread: { ref: 'card-r2' } }),
        q('b', 'r1 done'),
      ],
      true,
    );
    expect(keys(f?.items)).toEqual(['a', 'b']);
  });

  it('never folds an important line, and stops at it so the thread keeps its order', () => {
    const f = foldHead(
      [
        q('a', 'Stage 2 started'),
        q('breach', 'Gate out of bounds', { kind: 'important' }),
        q('b', 'Stage 2 done'),
      ],
      true,
    );
    expect(keys(f?.items)).toEqual(['a']);
  });

  it('stops at a same-thread post without a fold key, so later routine lines stay behind it', () => {
    const window = [
      q('a', 'Stage 1/2 started'),
      q('imp', 'Approval needed', { kind: 'important', foldKey: undefined }),
      q('b', 'Stage 1/2 done'),
      q('c', 'Stage 2/2 started'),
    ];
    const first = foldHead(window, true);
    expect(keys(first?.items)).toEqual(['a']);
    expect(first?.text).toBe('Stage 1/2 started');
    expect(keys(foldHead(window.slice(1), true)?.items)).toEqual(['imp']);
    expect(keys(foldHead(window.slice(2), true)?.items)).toEqual(['b', 'c']);
  });

  it('stops at a same-thread routine line with another fold key', () => {
    const window = [q('a', 'r1 started'), q('x', 'other', { foldKey: 'r9' }), q('b', 'r1 done')];
    expect(keys(foldHead(window, true)?.items)).toEqual(['a']);
  });

  it('posts an important head alone even when busy', () => {
    const f = foldHead([q('rb', 'Rolled back', { kind: 'important' }), q('a', 'Stage 1 started')], true);
    expect(keys(f?.items)).toEqual(['rb']);
  });

  it('does not fold posts with blocks, or a post that names its place (a card)', () => {
    expect(
      keys(foldHead([q('a', 'x', { blocks: [{ type: 'divider' }] }), q('b', 'y')], true)?.items),
    ).toEqual(['a']);
    expect(keys(foldHead([q('a', 'x'), q('c', 'card', { saveAs: 'card-r1' })], true)?.items)).toEqual(['a']);
  });

  it('stops before the text grows past a readable post', () => {
    const long = 'x'.repeat(2500);
    expect(keys(foldHead([q('a', long), q('b', long)], true)?.items)).toEqual(['a']);
  });

  it('has nothing to post for an empty lane', () => {
    expect(foldHead([], true)).toBeNull();
  });
});
