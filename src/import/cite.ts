// A source line an entry came from, as its comment quotes it.
import { clip } from './text.ts';

export interface Cite {
  line: number;
  /** The raw source line, trimmed and clipped. */
  text: string;
}

const QUOTE_MAX = 110;

/** A line as an entry's comment quotes it; a long one from a little before `focus` when that is past the cut. */
export function cite(lines: readonly string[], line: number, focus?: string): Cite {
  const text = (lines[line - 1] ?? '').trim();
  const at = focus ? text.indexOf(focus) : -1;
  if (text.length <= QUOTE_MAX || at < 0 || at + (focus?.length ?? 0) < QUOTE_MAX - 1)
    return { line, text: clip(text, QUOTE_MAX) };
  const start = text.lastIndexOf(' ', Math.max(0, at - 40)) + 1;
  return { line, text: `…${clip(text.slice(start), QUOTE_MAX - 1)}` };
}

/** A line kept whole, as the list of lines nothing was made from shows it. */
export function keep(lines: readonly string[], line: number): Cite {
  return { line, text: (lines[line - 1] ?? '').trimEnd() };
}

/** "line 12: Enable 10% of traffic" (or "lines 12, 40: …" for several). */
export function citeText(cites: readonly Cite[]): string {
  const [first, ...rest] = cites;
  if (!first) return '';
  const lines = [...new Set([first.line, ...rest.map((c) => c.line)])];
  return ` ${lines.length > 1 ? 'lines' : 'line'} ${lines.join(', ')}: ${first.text}`;
}
