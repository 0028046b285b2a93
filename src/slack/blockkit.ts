// Block Kit's limits (Slack's reference pages), written once here: the sandbox workspace enforces
// SLACK_LIMITS as Slack does, Runway's views keep to LIMITS. Then a checker that lists every violation of
// a payload, and the two tools views use to stay inside them: truncate for text, fitBlocks for the count.
// Slack rejects a whole message for one field over its limit (`invalid_blocks`), so every view is
// checked by its tests and every payload by the integration tests.
import type { Block, KnownBlock } from '@slack/types';
import { withUserMentions } from './people.ts';

export type Surface = 'message' | 'home' | 'modal';

/** What Slack accepts (its Block Kit, message and view reference pages). */
export const SLACK_LIMITS = {
  blocks: { message: 50, home: 100, modal: 100 } satisfies Record<Surface, number>,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  actionId: 255,
  blockId: 255,
  actionsElements: 25,
  contextElements: 10,
  contextText: 3000,
  /** Checkboxes and radio buttons. */
  checkboxOptions: 10,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  inputLabel: 2000,
  imageAltText: 2000,
  viewPrivateMetadata: 3000,
  viewCallbackId: 255,
  messageText: 40_000,
} as const;

/** What Runway's views keep to: Slack's limits, tighter in two places. */
export const LIMITS = {
  ...SLACK_LIMITS,
  /** Runway's option values are short ids; it holds them to the option text's 75. */
  optionValue: 75,
  /** Slack allows 40,000 characters of `text`; Runway keeps its fallbacks and replies short. */
  messageText: 3000,
} as const;

/** The text cut to `max` characters, ending with '…' when cut (never in the middle of an &entity;). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  const cut = text.slice(0, max - 1).replace(/&[a-z]{0,4}$/, '');
  return `${cut}…`;
}

/** The end of the text, at most `max` characters, starting with '…' when cut (output tails). */
export function truncateStart(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  return `…${text.slice(text.length - (max - 1))}`;
}

/** Text typed by people, made inert in mrkdwn: no mentions, links or @channel pings of its own. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text that may hold Runway's own mentions (`<@U…>`) next to words people typed: keeps user
 * mentions live and escapes everything else once (&, <, >), so broadcasts (`<!channel>`), group
 * pings and typed `<https://…|links>` stay inert text.
 */
export function defuseBroadcasts(text: string): string {
  return withUserMentions(escapeMrkdwn(text).replace(/&lt;@([UW][A-Z0-9]+)(?:\|[^&<>]*)?&gt;/g, '<@$1>'));
}

// ---- checking ------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: unknown): string | undefined =>
  isObject(v) && typeof v.text === 'string' ? v.text : undefined;
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface ValidateOptions {
  surface: Surface;
}

/** Every way these blocks break Block Kit's limits; empty when Slack would accept them. */
export function validateBlocks(blocks: readonly (KnownBlock | Block)[], options: ValidateOptions): string[] {
  const problems: string[] = [];
  const max = LIMITS.blocks[options.surface];
  if (blocks.length > max) problems.push(`${blocks.length} blocks (max ${max} in a ${options.surface})`);
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, i) => {
    if (!isObject(block)) {
      problems.push(`blocks[${i}]: not an object`);
      return;
    }
    const where = `blocks[${i}]${typeof block.block_id === 'string' ? ` (${block.block_id})` : ''}`;
    const report = (what: string) => problems.push(`${where}: ${what}`);
    if (typeof block.block_id === 'string') {
      if (block.block_id.length === 0) report('empty block_id');
      if (block.block_id.length > LIMITS.blockId)
        report(`block_id is ${block.block_id.length} characters (max ${LIMITS.blockId})`);
      if (blockIds.has(block.block_id)) report(`duplicate block_id "${block.block_id}"`);
      blockIds.add(block.block_id);
    }
    checkBlock(block, report);
  });
  return problems;
}

/** Checks a whole message: its blocks and its `text` fallback. */
export function validateMessage(message: {
  text?: string;
  blocks?: readonly (KnownBlock | Block)[];
}): string[] {
  const problems = validateBlocks(message.blocks ?? [], { surface: 'message' });
  const text = message.text ?? '';
  if (!text.trim()) problems.push('message text fallback is empty');
  if (text.length > LIMITS.messageText)
    problems.push(`message text is ${text.length} characters (max ${LIMITS.messageText})`);
  return problems;
}

function checkBlock(block: Json, report: (what: string) => void): void {
  switch (block.type) {
    case 'header': {
      const text = block.text;
      if (!isObject(text) || text.type !== 'plain_text') report('header text must be plain_text');
      checkText(text, LIMITS.headerText, 'header text', report);
      break;
    }
    case 'section': {
      const fields = arrayOf(block.fields);
      if (block.text === undefined && fields.length === 0) report('section has neither text nor fields');
      if (block.text !== undefined) checkText(block.text, LIMITS.sectionText, 'section text', report);
      if (fields.length > LIMITS.sectionFields)
        report(`${fields.length} section fields (max ${LIMITS.sectionFields})`);
      fields.forEach((f, j) => checkText(f, LIMITS.fieldText, `fields[${j}]`, report));
      if (block.accessory !== undefined) checkElements([block.accessory], report);
      break;
    }
    case 'actions': {
      const elements = arrayOf(block.elements);
      if (elements.length === 0) report('actions block has no elements');
      if (elements.length > LIMITS.actionsElements) {
        report(`${elements.length} elements in an actions block (max ${LIMITS.actionsElements})`);
      }
      checkElements(elements, report);
      break;
    }
    case 'context': {
      const elements = arrayOf(block.elements);
      if (elements.length === 0) report('context block has no elements');
      if (elements.length > LIMITS.contextElements) {
        report(`${elements.length} elements in a context block (max ${LIMITS.contextElements})`);
      }
      elements.forEach((e, j) => {
        if (isObject(e) && (e.type === 'mrkdwn' || e.type === 'plain_text')) {
          checkText(e, LIMITS.contextText, `context elements[${j}]`, report);
        }
      });
      break;
    }
    case 'divider':
      break;
    default:
      if (typeof block.type !== 'string') report('block has no type');
  }
}

function checkText(text: unknown, max: number, what: string, report: (what: string) => void): void {
  const value = textOf(text);
  if (value === undefined) {
    report(`${what} is not a text object`);
    return;
  }
  if (value.trim().length === 0) report(`${what} is empty`);
  if (value.length > max) report(`${what} is ${value.length} characters (max ${max})`);
}

function checkElements(elements: unknown[], report: (what: string) => void): void {
  const actionIds = new Set<string>();
  elements.forEach((el, j) => {
    if (!isObject(el)) {
      report(`elements[${j}] is not an object`);
      return;
    }
    const where = `${String(el.type)} elements[${j}]`;
    const say = (what: string) => report(`${where}: ${what}`);
    if (typeof el.action_id === 'string') {
      if (el.action_id.length > LIMITS.actionId)
        say(`action_id is ${el.action_id.length} characters (max ${LIMITS.actionId})`);
      if (actionIds.has(el.action_id)) say(`duplicate action_id "${el.action_id}" in one block`);
      actionIds.add(el.action_id);
    }
    if (el.type === 'button') checkButton(el, say);
    if (el.type === 'checkboxes' || el.type === 'radio_buttons') checkOptions(el, say);
    if (el.confirm !== undefined) checkConfirm(el.confirm, say);
  });
}

function checkButton(el: Json, say: (what: string) => void): void {
  checkText(el.text, LIMITS.buttonText, 'button text', say);
  if (typeof el.value === 'string' && el.value.length > LIMITS.buttonValue) {
    say(`button value is ${el.value.length} characters (max ${LIMITS.buttonValue})`);
  }
  if (typeof el.url === 'string' && el.url.length > LIMITS.url)
    say(`button url is ${el.url.length} characters (max ${LIMITS.url})`);
  if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger')
    say(`button style "${String(el.style)}"`);
}

function checkOptions(el: Json, say: (what: string) => void): void {
  const options = arrayOf(el.options);
  if (options.length === 0) say('no options');
  if (options.length > LIMITS.checkboxOptions)
    say(`${options.length} options (max ${LIMITS.checkboxOptions})`);
  const values = new Set<string>();
  options.forEach((o, k) => {
    if (!isObject(o)) return;
    checkText(o.text, LIMITS.optionText, `options[${k}] text`, say);
    if (typeof o.value !== 'string') say(`options[${k}] has no value`);
    else {
      if (o.value.length > LIMITS.optionValue)
        say(`options[${k}] value is ${o.value.length} characters (max ${LIMITS.optionValue})`);
      if (values.has(o.value)) say(`duplicate option value "${o.value}"`);
      values.add(o.value);
    }
  });
  // Slack refuses initial options that are not exactly one of the options.
  const known = new Set(options.map((o) => JSON.stringify(o)));
  arrayOf(el.initial_options).forEach((o, k) => {
    if (!known.has(JSON.stringify(o))) say(`initial_options[${k}] is not one of the options`);
  });
}

function checkConfirm(confirm: unknown, say: (what: string) => void): void {
  if (!isObject(confirm)) {
    say('confirm is not an object');
    return;
  }
  if (confirm.title !== undefined) checkText(confirm.title, LIMITS.confirmTitle, 'confirm title', say);
  checkText(confirm.text, LIMITS.confirmText, 'confirm text', say);
  if (confirm.confirm !== undefined) checkText(confirm.confirm, LIMITS.confirmButton, 'confirm button', say);
  if (confirm.deny !== undefined) checkText(confirm.deny, LIMITS.confirmButton, 'deny button', say);
}

// ---- fitting -------------------------------------------------------------------------------

export const FIT_MORE_BLOCK_ID = 'fit-more';

/**
 * The blocks, cut to the surface's count: the leading header and the block after it (the state)
 * and the trailing actions blocks (the buttons) are kept; dividers in between go first, then the
 * middle is cut and its end replaced by one "…N more" context.
 */
export function fitBlocks<T extends KnownBlock | Block>(
  blocks: readonly T[],
  surface: Surface,
): (T | KnownBlock)[] {
  const max = LIMITS.blocks[surface];
  if (blocks.length <= max) return [...blocks];
  const headCount = blocks[0]?.type === 'header' ? 2 : 1;
  let tailStart = blocks.length;
  while (tailStart > headCount && blocks[tailStart - 1]?.type === 'actions') tailStart--;
  const head = blocks.slice(0, headCount);
  const tail = blocks.slice(tailStart);
  let middle = blocks.slice(headCount, tailStart);
  if (head.length + middle.length + tail.length > max) middle = middle.filter((b) => b.type !== 'divider');
  if (head.length + middle.length + tail.length <= max) return [...head, ...middle, ...tail];
  const room = Math.max(0, max - head.length - tail.length - 1);
  const dropped = middle.length - room;
  const more: KnownBlock = {
    type: 'context',
    block_id: FIT_MORE_BLOCK_ID,
    elements: [{ type: 'mrkdwn', text: `…${dropped} more not shown (Slack allows ${max} blocks here)` }],
  };
  return [...head, ...middle.slice(0, room), more, ...tail].slice(0, max);
}
