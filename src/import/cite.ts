// A source line an entry came from, as its comment quotes it.
import { clip } from './text.ts';

export interface Cite {
  line: number;
  /** The raw source line, trimmed and clipped. */
  text: string;
}

export function cite(lines: readonly string[], line: number): Cite {
  return { line, text: clip((lines[line - 1] ?? '').trim(), 110) };
}

/** A line kept whole, as the list of lines nothing was made from shows it. */
export function keep(lines: readonly string[], line: number): Cite {
  return { line, text: (lines[line - 1] ?? '').trimEnd() };
}

/** "line 12: Enable 10% of traffic" (or "lines 12, 40: …" for several). */
export function citeText(cites: readonly Cite[]): string {
  const [first, ...rest] = cites;
  if (!first) return '';
  const lines = [first.line, ...rest.map((c) => c.line)];
  return ` ${lines.length > 1 ? 'lines' : 'line'} ${[...new Set(lines)].join(', ')}: ${first.text}`;
}
