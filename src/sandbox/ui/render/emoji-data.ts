// The emoji data set the page draws with: emoji-datasource-twitter's names (those Slack uses) and its
// 64 px images, read from node_modules once, on first use. Nothing is fetched from the network.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildEmojiSet, type EmojiRow, type EmojiSet } from './emoji.ts';

const require = createRequire(import.meta.url);
const DATA = require.resolve('emoji-datasource-twitter/emoji.json');

/** The folder of the images: `<unified>.png`. */
export const EMOJI_IMAGE_DIR = join(dirname(DATA), 'img', 'twitter', '64');

let loaded: EmojiSet | null = null;

export function emojiSet(): EmojiSet {
  loaded ??= buildEmojiSet(JSON.parse(readFileSync(DATA, 'utf8')) as EmojiRow[]);
  return loaded;
}
