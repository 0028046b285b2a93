// Block Kit elements as HTML. Interactive ones carry data-kind / data-action-id / data-block-id so the
// page's one click handler knows what a person did; the confirm dialog travels as pre-rendered HTML in
// data-confirm. In a modal, inputs are form fields the page reads on submit.
import type { JsonObject } from '../../workspace/types.ts';
import { escapeHtml } from './escape.ts';
import { list, obj, str, textOf } from './json.ts';
import { jumpAttributes, mrkdwn, plainText, type Directory } from './mrkdwn.ts';

export interface RenderContext {
  dir: Directory;
  /** Buttons and checkboxes act on a message; in a modal inputs are fields; a Home tab is read-only here. */
  surface: 'message' | 'modal' | 'home';
}

/** A text object: mrkdwn or plain_text (with its emoji flag). */
export function textObject(value: JsonObject | undefined, ctx: RenderContext): string {
  if (!value) return '';
  const text = str(value.text) ?? '';
  return value.type === 'mrkdwn' ? mrkdwn(text, ctx.dir) : plainText(text, value.emoji !== false);
}

const attr = (name: string, value: string | undefined): string =>
  value === undefined ? '' : ` ${name}="${escapeHtml(value)}"`;

export function element(el: JsonObject, blockId: string, ctx: RenderContext): string {
  switch (el.type) {
    case 'button':
      return button(el, blockId, ctx);
    case 'checkboxes':
      return checkboxes(el, blockId, ctx);
    case 'radio_buttons':
      return radios(el, blockId, ctx);
    case 'static_select':
      return select(el, blockId, ctx);
    case 'plain_text_input':
      return textInput(el, blockId);
    case 'image': {
      const url = str(el.image_url);
      return url && /^https?:\/\//.test(url)
        ? `<img class="bk-image-el" src="${escapeHtml(url)}" alt="${escapeHtml(str(el.alt_text) ?? '')}">`
        : '';
    }
    default:
      return `<span class="bk-unsupported">[${escapeHtml(String(el.type ?? 'element'))}]</span>`;
  }
}

function button(el: JsonObject, blockId: string, ctx: RenderContext): string {
  const style = el.style === 'primary' || el.style === 'danger' ? ` bk-btn-${el.style}` : '';
  const url = str(el.url);
  const label = textObject(obj(el.text), ctx);
  if (url && /^https?:\/\//.test(url)) {
    // A link to a message (a card, an incident) opens it in the page, as its mrkdwn links do.
    return `<a class="bk-btn${style}" href="${escapeHtml(url)}"${jumpAttributes(url)} target="_blank" rel="noopener noreferrer">${label}</a>`;
  }
  const confirm = obj(el.confirm);
  const dialog = confirm
    ? JSON.stringify({
        title: textObject(obj(confirm.title), ctx),
        text: textObject(obj(confirm.text), ctx),
        confirm: textObject(obj(confirm.confirm), ctx) || 'Yes',
        deny: textObject(obj(confirm.deny), ctx) || 'Cancel',
        style: confirm.style === 'danger' ? 'danger' : confirm.style === 'primary' ? 'primary' : '',
      })
    : undefined;
  const live = ctx.surface === 'message';
  return (
    `<button type="button" class="bk-btn${style}"${live ? ' data-kind="button"' : ' disabled'}` +
    `${attr('data-action-id', str(el.action_id))}${attr('data-block-id', blockId)}` +
    `${attr('data-value', str(el.value))}${attr('data-confirm', dialog)}>${label}</button>`
  );
}

function option(o: JsonObject, ctx: RenderContext): { value: string; html: string; description: string } {
  return {
    value: str(o.value) ?? '',
    html: textObject(obj(o.text), ctx),
    description: textObject(obj(o.description), ctx),
  };
}

const initialValues = (el: JsonObject): Set<string> =>
  new Set(
    [...list(el.initial_options), ...(obj(el.initial_option) ? [obj(el.initial_option)!] : [])].map(
      (o) => str(o.value) ?? '',
    ),
  );

/** Checkboxes (and radios): ticking one on a message sends block_actions at once, as in Slack. */
function choiceGroup(
  kind: 'checkbox' | 'radio',
  el: JsonObject,
  blockId: string,
  ctx: RenderContext,
): string {
  const checked = initialValues(el);
  const live = ctx.surface === 'modal' || (ctx.surface === 'message' && kind === 'checkbox');
  const name = `${blockId}/${str(el.action_id) ?? ''}`;
  const items = list(el.options)
    .map((o) => option(o, ctx))
    .map(
      (o) =>
        `<label class="bk-choice"><input type="${kind}"${attr('name', name)}${attr('value', o.value)}` +
        `${checked.has(o.value) ? ' checked' : ''}${live ? '' : ' disabled'}>` +
        `<span>${o.html}${o.description ? `<small class="bk-choice-desc">${o.description}</small>` : ''}</span></label>`,
    )
    .join('');
  const kindAttr = ctx.surface === 'message' && kind === 'checkbox' ? ' data-kind="checkboxes"' : '';
  const field =
    ctx.surface === 'modal' ? ` data-field="${kind === 'checkbox' ? 'checkboxes' : 'radio'}"` : '';
  return (
    `<div class="bk-choices"${kindAttr}${field}${attr('data-action-id', str(el.action_id))}` +
    `${attr('data-block-id', blockId)}>${items}</div>`
  );
}

const checkboxes = (el: JsonObject, blockId: string, ctx: RenderContext) =>
  choiceGroup('checkbox', el, blockId, ctx);
const radios = (el: JsonObject, blockId: string, ctx: RenderContext) =>
  choiceGroup('radio', el, blockId, ctx);

function select(el: JsonObject, blockId: string, ctx: RenderContext): string {
  const initial = initialValues(el);
  const groups = list(el.option_groups);
  const optionHtml = (o: JsonObject) => {
    const { value } = option(o, ctx);
    // <option> shows text only: plain text of the label, escaped.
    return `<option${attr('value', value)}${initial.has(value) ? ' selected' : ''}>${escapeHtml(textOf(o.text))}</option>`;
  };
  const body = groups.length
    ? groups
        .map(
          (g) =>
            `<optgroup label="${escapeHtml(textOf(g.label))}">${list(g.options).map(optionHtml).join('')}</optgroup>`,
        )
        .join('')
    : list(el.options).map(optionHtml).join('');
  const placeholder = textOf(el.placeholder) || 'Select an option';
  const inModal = ctx.surface === 'modal';
  return (
    `<select class="bk-select"${inModal ? ' data-field="select"' : ' disabled title="Selects on messages are not wired in the sandbox"'}` +
    `${attr('data-action-id', str(el.action_id))}${attr('data-block-id', blockId)}>` +
    `<option value=""${initial.size ? '' : ' selected'}>${escapeHtml(placeholder)}</option>${body}</select>`
  );
}

function textInput(el: JsonObject, blockId: string): string {
  const common =
    ` class="bk-input" data-field="text"${attr('data-action-id', str(el.action_id))}${attr('data-block-id', blockId)}` +
    `${attr('placeholder', textOf(el.placeholder) || undefined)}` +
    `${typeof el.max_length === 'number' ? ` maxlength="${el.max_length}"` : ''}`;
  const value = str(el.initial_value) ?? '';
  return el.multiline === true
    ? `<textarea rows="4"${common}>${escapeHtml(value)}</textarea>`
    : `<input type="text"${common}${attr('value', value)}>`;
}
