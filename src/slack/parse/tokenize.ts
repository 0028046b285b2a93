// Splits slash-command text into words, keeping "quoted phrases" (straight or Slack's curly quotes)
// together. Slack escapes &, < and > in command text; they are unescaped here, once.

export interface Token {
  value: string;
  quoted: boolean;
}

const OPEN = new Set(['"', '“', '”']);

export function tokenize(text: string): { ok: true; tokens: Token[] } | { ok: false; error: string } {
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
      if (end >= input.length)
        return { ok: false, error: 'A quote is not closed: put the reason between two " marks.' };
      tokens.push({ value: input.slice(i + 1, end), quoted: true });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < input.length && !/\s/.test(input[end]!) && !OPEN.has(input[end]!)) end++;
    tokens.push({ value: input.slice(i, end), quoted: false });
    i = end;
  }
  return { ok: true, tokens };
}
