// Splits slash-command text into words, keeping "quoted phrases" (straight or Slack's curly quotes)
// together. Slack escapes &, < and > in command text; they are unescaped here, once. Each word keeps
// where it starts, so free text (a release's notes) can be taken from the text as typed.

export interface Token {
  value: string;
  quoted: boolean;
  /** Offset of the word (of its opening quote, when quoted) in `input`. */
  start: number;
  /** An opening quote with no closing one: the token is the rest of the text. Only free text may. */
  unclosed?: true;
}

export const UNCLOSED_QUOTE = 'A quote is not closed: put the reason between two " marks.';

const OPEN = new Set(['"', '“', '”']);

/** The words of `text` and the unescaped, trimmed text they index. Never fails: see `unclosed`. */
export function tokenize(text: string): { input: string; tokens: Token[] } {
  const input = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (OPEN.has(ch)) {
      let end = i + 1;
      while (end < input.length && !OPEN.has(input[end]!)) end++;
      if (end >= input.length) {
        tokens.push({ value: input.slice(i + 1), quoted: true, start: i, unclosed: true });
        break;
      }
      tokens.push({ value: input.slice(i + 1, end), quoted: true, start: i });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < input.length && !/\s/.test(input[end]!) && !OPEN.has(input[end]!)) end++;
    tokens.push({ value: input.slice(i, end), quoted: false, start: i });
    i = end;
  }
  return { input, tokens };
}
