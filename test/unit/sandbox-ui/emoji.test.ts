// Emoji drawn as images from the bundled data set: Slack's names, every sequence, nothing else touched.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildEmojiSet, replaceEmoji } from '../../../src/sandbox/ui/render/emoji.ts';
import { EMOJI_IMAGE_DIR, emojiSet } from '../../../src/sandbox/ui/render/emoji-data.ts';

const files = (html: string): string[] => [...html.matchAll(/src="\/emoji\/([^"]+)"/g)].map((m) => m[1]!);

describe('emoji as images', () => {
  it.each([
    ['✅ done', ['2705.png']],
    ['▶️ running ▶ running', ['25b6-fe0f.png', '25b6-fe0f.png']],
    [
      '⏸️ ⏭️ ⏳ ❌ ↩️ 🚫 🛑 🚨 📋 ✋ ➖ ⚠️ ◻️ ☑️',
      [
        '23f8-fe0f.png',
        '23ed-fe0f.png',
        '23f3.png',
        '274c.png',
        '21a9-fe0f.png',
        '1f6ab.png',
        '1f6d1.png',
        '1f6a8.png',
        '1f4cb.png',
        '270b.png',
        '2796.png',
        '26a0-fe0f.png',
        '25fb-fe0f.png',
        '2611-fe0f.png',
      ],
    ],
    [
      '👍🏽 🏳️‍🌈 🇫🇷 1️⃣',
      ['1f44d-1f3fd.png', '1f3f3-fe0f-200d-1f308.png', '1f1eb-1f1f7.png', '0031-fe0f-20e3.png'],
    ],
    [
      ':white_check_mark: :rocket: :pause_button: :tickets:',
      ['2705.png', '1f680.png', '23f8-fe0f.png', '1f39f-fe0f.png'],
    ],
  ])('%s', (text, expected) => {
    const html = replaceEmoji(text, emojiSet());
    expect(files(html)).toEqual(expected);
    for (const file of expected) expect(existsSync(join(EMOJI_IMAGE_DIR, file))).toBe(true);
  });

  it('leaves arrows, digits, times and unknown names as text', () => {
    const text = 'shop v1.3.0 → production at 10:00:30 · 50% :not_an_emoji: #1 *2';
    expect(replaceEmoji(text, emojiSet())).toBe(text);
  });

  it('keeps :names: as typed when asked, and passes tags to the caller to hold', () => {
    const held: string[] = [];
    const html = replaceEmoji(':tada: 🎉', emojiSet(), { names: false, hold: (h) => `#${held.push(h)}#` });
    expect(html).toBe(':tada: #1#');
    expect(held[0]).toContain('alt="🎉"');
  });

  it('builds names and images from the rows of the data set', () => {
    const set = buildEmojiSet([
      { unified: '2705', image: '2705.png', short_names: ['white_check_mark', 'done'] },
      {
        unified: '1F44D',
        image: '1f44d.png',
        short_names: ['+1', 'thumbsup'],
        skin_variations: { '1F3FB': { unified: '1F44D-1F3FB', image: '1f44d-1f3fb.png' } },
      },
    ]);
    expect(set.byName.get('done')).toBe('✅');
    expect(set.images.get('👍🏻')).toBe('1f44d-1f3fb.png');
    expect(files(replaceEmoji(':+1: :done:', set))).toEqual(['1f44d.png', '2705.png']);
  });
});
