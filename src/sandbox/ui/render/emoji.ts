// Emoji as Slack draws them: images, never a font's glyph (a browser without an emoji font shows an
// empty box for ✅ and ❌ alike). Slack's :shortcode: names and the image of every emoji sequence come
// from an emoji data set (emoji-data.ts loads it); this part is pure. Unknown codes stay as text, as a
// Slack client shows a custom emoji it does not have.

/** One row of the data set (iamcal's emoji-data, the names Slack uses). */
export interface EmojiRow {
  unified: string;
  non_qualified?: string | null;
  image: string;
  short_names: string[];
  skin_variations?: Record<string, { unified: string; image: string }>;
}

export interface EmojiSet {
  /** :name: → the emoji itself. */
  byName: ReadonlyMap<string, string>;
  /** An emoji sequence without its U+FE0F selectors → its image file ("2705.png"). */
  images: ReadonlyMap<string, string>;
}

/** Names Slack takes that the data set spells otherwise. */
const ALIASES: Record<string, string> = {
  pause_button: 'double_vertical_bar',
  track_next: 'black_right_pointing_double_triangle_with_vertical_bar',
  next_track_button: 'black_right_pointing_double_triangle_with_vertical_bar',
  stop_sign: 'octagonal_sign',
  tickets: 'admission_tickets',
};

const fromHex = (unified: string): string =>
  String.fromCodePoint(...unified.split('-').map((h) => Number.parseInt(h, 16)));
const bare = (sequence: string): string => sequence.replace(/\uFE0F/g, '');

export function buildEmojiSet(rows: readonly EmojiRow[]): EmojiSet {
  const byName = new Map<string, string>();
  const images = new Map<string, string>();
  for (const row of rows) {
    const emoji = fromHex(row.unified);
    for (const name of row.short_names) byName.set(name, emoji);
    images.set(bare(emoji), row.image);
    if (row.non_qualified) images.set(bare(fromHex(row.non_qualified)), row.image);
    for (const skin of Object.values(row.skin_variations ?? {}))
      images.set(bare(fromHex(skin.unified)), skin.image);
  }
  for (const [alias, name] of Object.entries(ALIASES)) {
    const emoji = byName.get(name);
    if (emoji && !byName.has(alias)) byName.set(alias, emoji);
  }
  return { byName, images };
}

const PICTO = '(?:\\p{Extended_Pictographic}|\\p{Emoji_Presentation})(?:\\uFE0F|\\p{Emoji_Modifier})?';
/** A flag, a keycap, or pictographs joined by ZWJ, each with its presentation selector or skin tone. */
const SEQUENCE = new RegExp(
  `\\p{Regional_Indicator}{2}|[#*0-9]\\uFE0F?\\u20E3|${PICTO}(?:\\u200D${PICTO})*`,
  'gu',
);

/** Where the page serves the data set's images. */
export const EMOJI_PATH = '/emoji/';

function image(emoji: string, file: string): string {
  return `<img class="emoji" src="${EMOJI_PATH}${file}" alt="${emoji}" draggable="false">`;
}

export interface ReplaceOptions {
  /** Also :shortcodes: (plain_text with `emoji: false` keeps them as typed). */
  names?: boolean;
  /** Lets a caller keep the image tags out of its later formatting passes. */
  hold?: (html: string) => string;
}

/** Every emoji in `html` (text already HTML-safe, no tags), and each known :shortcode:, as its image. */
export function replaceEmoji(html: string, set: EmojiSet, options: ReplaceOptions = {}): string {
  const { names = true, hold = (h: string) => h } = options;
  const text = names
    ? html.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => set.byName.get(name) ?? whole)
    : html;
  return text.replace(SEQUENCE, (emoji) => {
    const file = set.images.get(bare(emoji));
    return file ? hold(image(emoji, file)) : emoji;
  });
}
