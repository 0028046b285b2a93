// Block Kit's documented limits (SLACK_LIMITS, written once in src/slack/blockkit.ts), checked the way
// Slack refuses a message: invalid_blocks with one line per problem and its json-pointer. A card that
// would bounce off Slack must bounce off the sandbox too.
import { SLACK_LIMITS as L } from '../../slack/blockkit.ts';
import { isObject } from './args.ts';
import type { JsonObject } from './types.ts';

export type BlockCheck =
  | { ok: true; blocks: JsonObject[] }
  | { ok: false; error: 'invalid_blocks' | 'invalid_blocks_format'; errors: string[] };

const BLOCK_TYPES = new Set([
  'actions',
  'context',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

type Problems = string[];

function checkText(value: unknown, at: string, max: number, problems: Problems, plainOnly = false): void {
  if (!isObject(value)) return void problems.push(`must provide an object [json-pointer:${at}]`);
  const type = value.type;
  if (type !== 'plain_text' && (plainOnly || type !== 'mrkdwn')) {
    problems.push(`must be ${plainOnly ? 'plain_text' : 'plain_text or mrkdwn'} [json-pointer:${at}/type]`);
  }
  const text = value.text;
  if (typeof text !== 'string' || text.length === 0)
    problems.push(`must be more than 0 characters [json-pointer:${at}/text]`);
  else if (text.length > max)
    problems.push(`must be less than ${max + 1} characters [json-pointer:${at}/text]`);
}

function checkLength(value: unknown, at: string, max: number, problems: Problems): void {
  if (value === undefined) return;
  if (typeof value !== 'string') problems.push(`must be a string [json-pointer:${at}]`);
  else if (value.length > max) problems.push(`must be less than ${max + 1} characters [json-pointer:${at}]`);
}

function checkConfirm(value: unknown, at: string, problems: Problems): void {
  if (value === undefined) return;
  if (!isObject(value)) return void problems.push(`must provide an object [json-pointer:${at}]`);
  checkText(value.title, `${at}/title`, L.confirmTitle, problems, true);
  checkText(value.text, `${at}/text`, L.confirmText, problems);
  checkText(value.confirm, `${at}/confirm`, L.confirmButton, problems, true);
  checkText(value.deny, `${at}/deny`, L.confirmButton, problems, true);
}

function checkOptions(element: Record<string, unknown>, at: string, max: number, problems: Problems): void {
  const options = element.options;
  if (!Array.isArray(options) || options.length === 0 || options.length > max) {
    return void problems.push(`must provide 1 to ${max} options [json-pointer:${at}/options]`);
  }
  const values = new Set<string>();
  options.forEach((option: unknown, i) => {
    if (!isObject(option))
      return void problems.push(`must provide an object [json-pointer:${at}/options/${i}]`);
    checkText(option.text, `${at}/options/${i}/text`, L.optionText, problems);
    checkLength(option.value, `${at}/options/${i}/value`, L.optionValue, problems);
    if (typeof option.value === 'string') values.add(option.value);
  });
  // Slack refuses initial options that are not among the options, a classic way to lose a checkbox state.
  const initial = element.type === 'checkboxes' ? element.initial_options : undefined;
  if (Array.isArray(initial)) {
    initial.forEach((option: unknown, i) => {
      if (!isObject(option) || typeof option.value !== 'string' || !values.has(option.value)) {
        problems.push(`must match one of the options [json-pointer:${at}/initial_options/${i}]`);
      }
    });
  }
}

function checkElement(element: unknown, at: string, problems: Problems): void {
  if (!isObject(element)) return void problems.push(`must provide an object [json-pointer:${at}]`);
  checkLength(element.action_id, `${at}/action_id`, L.actionId, problems);
  checkConfirm(element.confirm, `${at}/confirm`, problems);
  switch (element.type) {
    case 'button':
      checkText(element.text, `${at}/text`, L.buttonText, problems, true);
      checkLength(element.value, `${at}/value`, L.buttonValue, problems);
      checkLength(element.url, `${at}/url`, L.url, problems);
      if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
        problems.push(`must be primary or danger [json-pointer:${at}/style]`);
      }
      return;
    case 'checkboxes':
    case 'radio_buttons':
      return checkOptions(element, at, L.checkboxOptions, problems);
    case 'static_select':
    case 'multi_static_select':
      if (element.option_groups === undefined) checkOptions(element, at, L.selectOptions, problems);
      return;
    case 'image':
      checkLength(element.alt_text, `${at}/alt_text`, L.imageAltText, problems);
      return;
    default:
      if (typeof element.type !== 'string') problems.push(`must provide a string [json-pointer:${at}/type]`);
  }
}

function checkBlock(block: unknown, at: string, problems: Problems): void {
  if (!isObject(block)) return void problems.push(`must provide an object [json-pointer:${at}]`);
  if (typeof block.type !== 'string' || !BLOCK_TYPES.has(block.type)) {
    return void problems.push(`unsupported type: ${String(block.type)} [json-pointer:${at}/type]`);
  }
  checkLength(block.block_id, `${at}/block_id`, L.blockId, problems);
  switch (block.type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined)
        problems.push(`must provide text or fields [json-pointer:${at}]`);
      if (block.text !== undefined) checkText(block.text, `${at}/text`, L.sectionText, problems);
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length > L.sectionFields)
          problems.push(`must provide at most ${L.sectionFields} fields [json-pointer:${at}/fields]`);
        else
          block.fields.forEach((field: unknown, i) =>
            checkText(field, `${at}/fields/${i}`, L.fieldText, problems),
          );
      }
      if (block.accessory !== undefined) checkElement(block.accessory, `${at}/accessory`, problems);
      return;
    }
    case 'header':
      return checkText(block.text, `${at}/text`, L.headerText, problems, true);
    case 'context': {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > L.contextElements) {
        return void problems.push(
          `must provide 1 to ${L.contextElements} elements [json-pointer:${at}/elements]`,
        );
      }
      elements.forEach((element: unknown, i) => {
        if (isObject(element) && element.type !== 'image')
          checkText(element, `${at}/elements/${i}`, L.contextText, problems);
      });
      return;
    }
    case 'actions': {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > L.actionsElements) {
        return void problems.push(
          `must provide 1 to ${L.actionsElements} elements [json-pointer:${at}/elements]`,
        );
      }
      const ids = new Set<string>();
      elements.forEach((element: unknown, i) => {
        checkElement(element, `${at}/elements/${i}`, problems);
        const id = isObject(element) ? element.action_id : undefined;
        if (typeof id === 'string') {
          if (ids.has(id))
            problems.push(`duplicate action_id ${id} [json-pointer:${at}/elements/${i}/action_id]`);
          ids.add(id);
        }
      });
      return;
    }
    case 'input':
      checkText(block.label, `${at}/label`, L.inputLabel, problems, true);
      if (block.element === undefined) problems.push(`must provide an element [json-pointer:${at}/element]`);
      else checkElement(block.element, `${at}/element`, problems);
      return;
    default:
      return;
  }
}

/** Checks a blocks argument (already parsed from JSON) for a message (50 blocks) or a view (100). */
export function checkBlocks(value: unknown, surface: 'message' | 'view'): BlockCheck {
  if (!Array.isArray(value))
    return { ok: false, error: 'invalid_blocks_format', errors: ['must provide an array'] };
  const max = surface === 'message' ? L.blocks.message : L.blocks.modal;
  const problems: Problems = [];
  if (value.length > max) problems.push(`no more than ${max} items allowed [json-pointer:/blocks]`);
  const blockIds = new Set<string>();
  value.forEach((block: unknown, i) => {
    checkBlock(block, `/blocks/${i}`, problems);
    const id = isObject(block) ? block.block_id : undefined;
    if (typeof id === 'string') {
      if (blockIds.has(id)) problems.push(`duplicate block_id ${id} [json-pointer:/blocks/${i}/block_id]`);
      blockIds.add(id);
    }
  });
  if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
  return { ok: true, blocks: value as JsonObject[] };
}
