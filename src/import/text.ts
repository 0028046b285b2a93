// Small text helpers shared by the recognisers and the draft.

/** A runbook name from words: "Code review approved by 2+ engineers" → "code-review-approved-by-2-engineers". */
export function slug(text: string, maxLength = 48): string {
  const words = text
    .toLowerCase()
    .replace(/[`*_]/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let out = '';
  for (const word of words) {
    const next = out ? `${out}-${word}` : word;
    if (next.length > maxLength) break;
    out = next;
  }
  return out || (words[0] ?? '').slice(0, maxLength);
}

/** Names made unique in the order they come: a, a-2, a-3 (never one given already: a, a, a-2 → a, a-2, a-2-2). */
export function uniqueNamer(): (name: string) => string {
  const taken = new Set<string>();
  return (name) => {
    let unique = name;
    for (let n = 2; taken.has(unique); n++) unique = `${name}-${n}`;
    taken.add(unique);
    return unique;
  };
}

/** At most `max` characters, cut at a word with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };

/** "2" or "two" → 2. */
export function readCount(word: string): number | null {
  const n = /^\d+$/.test(word) ? Number(word) : NUMBER_WORDS[word.toLowerCase()];
  return n === undefined || !Number.isFinite(n) ? null : n;
}
