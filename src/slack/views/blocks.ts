// Small Block Kit builders shared by the views, each cutting its text to the limit of its field so a
// view never has to count characters itself.
import type {
  ActionsBlock,
  Button,
  ConfirmationDialog,
  ContextBlock,
  HeaderBlock,
  SectionBlock,
} from '@slack/types';
import { LIMITS, truncate } from '../blockkit.ts';

export function header(text: string, blockId: string): HeaderBlock {
  return {
    type: 'header',
    block_id: blockId,
    text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true },
  };
}

export function section(text: string, blockId: string): SectionBlock {
  return {
    type: 'section',
    block_id: blockId,
    text: { type: 'mrkdwn', text: truncate(text || ' ', LIMITS.sectionText) },
  };
}

export function fieldsSection(fields: readonly string[], blockId: string): SectionBlock {
  return {
    type: 'section',
    block_id: blockId,
    fields: fields
      .slice(0, LIMITS.sectionFields)
      .map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.fieldText) })),
  };
}

export function context(texts: readonly string[], blockId: string): ContextBlock {
  return {
    type: 'context',
    block_id: blockId,
    elements: texts
      .slice(0, LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.contextText) })),
  };
}

export interface ButtonSpec {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: { title: string; text: string; confirm: string; deny: string };
}

export function button(spec: ButtonSpec): Button {
  return {
    type: 'button',
    action_id: spec.actionId,
    text: { type: 'plain_text', text: truncate(spec.text, LIMITS.buttonText), emoji: true },
    value: truncate(spec.value, LIMITS.buttonValue),
    ...(spec.style ? { style: spec.style } : {}),
    ...(spec.confirm ? { confirm: confirmDialog(spec.confirm, spec.style) } : {}),
  };
}

function confirmDialog(
  c: NonNullable<ButtonSpec['confirm']>,
  style: ButtonSpec['style'],
): ConfirmationDialog {
  return {
    title: { type: 'plain_text', text: truncate(c.title, LIMITS.confirmTitle) },
    text: { type: 'mrkdwn', text: truncate(c.text, LIMITS.confirmText) },
    confirm: { type: 'plain_text', text: truncate(c.confirm, LIMITS.confirmButton) },
    deny: { type: 'plain_text', text: truncate(c.deny, LIMITS.confirmButton) },
    ...(style ? { style } : {}),
  };
}

export function actions(elements: ActionsBlock['elements'], blockId: string): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: elements.slice(0, LIMITS.actionsElements) };
}

/**
 * Lines packed into as few sections as their length allows: `title` opens the first, each line is
 * cut to `lineMax`, and the block ids are `<id>`, `<id>-2`, `<id>-3`…
 */
export function lineSections(
  title: string,
  lines: readonly string[],
  blockId: string,
  lineMax = 500,
): SectionBlock[] {
  const chunks: string[][] = [[title]];
  let size = title.length;
  for (const raw of lines) {
    const line = truncate(raw, lineMax);
    const current = chunks[chunks.length - 1]!;
    if (size + 1 + line.length > LIMITS.sectionText && current.length > 0) {
      chunks.push([line]);
      size = line.length;
    } else {
      current.push(line);
      size += 1 + line.length;
    }
  }
  return chunks.map((chunk, i) => section(chunk.join('\n'), i === 0 ? blockId : `${blockId}-${i + 1}`));
}

/**
 * Lines joined within `max` characters: when they do not fit, lines are dropped from the end (or the
 * start, `from: 'start'`) and replaced by `more(n)`.
 */
export function fitLines(
  lines: readonly string[],
  max: number,
  more: (n: number) => string,
  from: 'start' | 'end' = 'end',
): string {
  const all = lines.join('\n');
  if (all.length <= max) return all;
  const kept = [...lines];
  const joined = (n: number) => (from === 'end' ? [...kept, more(n)] : [more(n), ...kept]).join('\n');
  let dropped = 0;
  while (kept.length > 0 && joined(dropped).length > max) {
    if (from === 'end') kept.pop();
    else kept.shift();
    dropped++;
  }
  return truncate(joined(dropped), max);
}

/**
 * `lines` within `max` characters, cut in the middle: the first `head` lines (as many as fit in half
 * of `max`), `more(n)` for the n lines left out, then as many of the last lines as fit.
 */
export function fitMiddle(
  lines: readonly string[],
  max: number,
  head: number,
  more: (n: number) => string,
): string {
  const all = lines.join('\n');
  if (all.length <= max) return all;
  const first = lines.slice(0, head);
  while (first.length > 0 && first.join('\n').length > max / 2) first.pop();
  const rest = lines.slice(first.length);
  const last: string[] = [];
  const joined = (tail: readonly string[]) => [...first, more(rest.length - tail.length), ...tail].join('\n');
  for (let i = rest.length - 1; i >= 0; i--) {
    const tail = [rest[i]!, ...last];
    if (joined(tail).length > max) break;
    last.unshift(rest[i]!);
  }
  return truncate(joined(last), max);
}
