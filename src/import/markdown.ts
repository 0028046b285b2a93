// Markdown → a flat list of units (headings, text lines, task items, code lines, table rows), each
// with its source line and the headings it sits under. The recognisers read units, never mdast.
import type { Nodes, Root, RootContent, Table } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { parseableSource } from './source.ts';

export interface Heading {
  depth: number;
  text: string;
  line: number;
}

export interface Unit {
  kind: 'heading' | 'text' | 'task' | 'code' | 'row';
  /** Plain text: markup removed, inline code kept as its content. */
  text: string;
  /** 1-based source line. */
  line: number;
  /** Enclosing headings, outermost first (a heading's own parents for a heading unit). */
  headings: Heading[];
  /** A code line's fence language ('' when none). */
  lang?: string;
  /** A code line's lead-in: the text just before its block ("1.3 Execute Database Migrations"). */
  lead?: string;
  /** A table row's cells, and its table's header cells. */
  cells?: string[];
  header?: string[];
}

export function parseMarkdown(source: string): Unit[] {
  const text = parseableSource(source);
  const tree = unified().use(remarkParse).use(remarkGfm).parse(text) as Root;
  const lines = text.split(/\r?\n/);
  const units: Unit[] = [];
  const stack: Heading[] = [];
  let headed = false;
  const visit = (node: RootContent): void => {
    const line = node.position?.start.line ?? 0;
    switch (node.type) {
      case 'heading': {
        while (stack.length > 0 && (stack.at(-1)?.depth ?? 0) >= node.depth) stack.pop();
        const heading = { depth: node.depth, text: plainText(node).trim(), line };
        units.push({ kind: 'heading', text: heading.text, line, headings: [...stack] });
        // The document's title ("FlowAi Release & Rollback Runbook") names no section: its first
        // heading when that is a level-1 one, even after a badge or a comment.
        if (headed || node.depth !== 1) stack.push(heading);
        headed = true;
        return;
      }
      case 'paragraph':
        plainText(node)
          .split('\n')
          .forEach((text, i) => {
            if (text.trim() !== '')
              units.push({ kind: 'text', text: text.trim(), line: line + i, headings: [...stack] });
          });
        return;
      case 'listItem': {
        const [first, ...rest] = node.children;
        if (typeof node.checked === 'boolean' && first?.type === 'paragraph') {
          // A task's sub-bullets are part of what is to be checked.
          const details = rest.flatMap((n) =>
            n.type === 'list' ? n.children.map((c) => plainText(c).trim()) : [],
          );
          const text = [
            plainText(first)
              .replace(/\s*\n\s*/g, ' ')
              .trim(),
            details.join('; '),
          ]
            .filter(Boolean)
            .join(' ');
          units.push({ kind: 'task', text, line, headings: [...stack] });
          rest.forEach(visit);
        } else node.children.forEach(visit);
        return;
      }
      case 'code': {
        // A fenced block's content starts on the line after its fence.
        const fenced = /^\s*(```|~~~)/.test(lines[line - 1] ?? '');
        joinContinued(node.value.split('\n')).forEach(({ text, i }) => {
          if (text.trim() === '') return;
          const at = line + i + (fenced ? 1 : 0);
          const lead = leadOf(units);
          units.push({
            kind: 'code',
            text,
            line: at,
            headings: [...stack],
            lang: node.lang ?? '',
            ...(lead ? { lead } : {}),
          });
        });
        return;
      }
      case 'table':
        units.push(...tableRows(node, stack));
        return;
      case 'html':
        // A comment (`<!-- generated -->`) says nothing to the reader; its line stays among the kept.
        if (stripComments(node.value).trim() !== '')
          units.push({ kind: 'text', text: stripComments(node.value).trim(), line, headings: [...stack] });
        return;
      default:
        if ('children' in node) (node.children as RootContent[]).forEach(visit);
    }
  };
  tree.children.forEach(visit);
  return units;
}

/** The text unit just before a code block, in the same section. */
function leadOf(units: readonly Unit[]): string | undefined {
  for (let i = units.length - 1; i >= 0; i--) {
    const unit = units[i]!;
    if (unit.kind === 'heading') return undefined;
    if (unit.kind === 'text' || unit.kind === 'task') return unit.text;
  }
  return undefined;
}

function tableRows(table: Table, stack: Heading[]): Unit[] {
  const [head, ...rows] = table.children;
  const header = head ? head.children.map((cell) => plainText(cell).trim()) : [];
  return rows.map((row) => {
    const cells = row.children.map((cell) => plainText(cell).trim());
    const line = row.position?.start.line ?? 0;
    return { kind: 'row', text: cells.join(' | '), line, headings: [...stack], cells, header };
  });
}

/** The text a reader sees: emphasis and links unwrapped, inline code as its content, breaks as newlines. */
export function plainText(node: Nodes): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
      return node.value;
    case 'html':
      return stripComments(node.value);
    case 'break':
      return '\n';
    case 'image':
      return node.alt ?? '';
    default:
      return 'children' in node ? (node.children as Nodes[]).map(plainText).join('') : '';
  }
}

function stripComments(html: string): string {
  return html.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
}

/** The headings' texts, outermost first, for matching a section's purpose. */
export function headingText(unit: Unit): string {
  return [...unit.headings.map((h) => h.text), unit.kind === 'heading' ? unit.text : ''].join(' › ');
}

/**
 * Lines continued with a trailing backslash, joined into one (shell's rule), numbered by the line
 * they start on. A trailing `# comment` can only be on the last piece, so it stays at the end.
 */
export function joinContinued(lines: readonly string[]): { text: string; i: number }[] {
  const out: { text: string; i: number }[] = [];
  let open: { text: string; i: number } | null = null;
  lines.forEach((raw, i) => {
    const continued = /\\\s*$/.test(raw);
    const piece = continued ? raw.replace(/\s*\\\s*$/, '') : raw;
    if (open) open.text = `${open.text} ${piece.trim()}`;
    else open = { text: piece, i };
    if (!continued) {
      out.push(open);
      open = null;
    }
  });
  if (open) out.push(open);
  return out;
}
