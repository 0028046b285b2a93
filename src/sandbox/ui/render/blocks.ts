// Block Kit blocks as HTML: header, section (text, fields, accessory), context, divider, actions,
// input, image, rich_text, and a visible placeholder for anything else, so nothing the bot sends is
// silently dropped.
import type { JsonObject } from '../../workspace/types.ts';
import { element, textObject, type RenderContext } from './elements.ts';
import { escapeHtml } from './escape.ts';
import { list, obj, str } from './json.ts';
import { plainText } from './mrkdwn.ts';

export type { RenderContext } from './elements.ts';

/** Validation errors by block_id, as a view_submission ack answers them. */
export type BlockErrors = Record<string, string>;

export function renderBlocks(blocks: JsonObject[], ctx: RenderContext, errors: BlockErrors = {}): string {
  return blocks.map((b) => renderBlock(b, ctx, errors)).join('');
}

export function renderBlock(block: JsonObject, ctx: RenderContext, errors: BlockErrors = {}): string {
  const blockId = str(block.block_id) ?? '';
  const wrap = (type: string, inner: string) =>
    `<div class="bk bk-${type}" data-block-id="${escapeHtml(blockId)}">${inner}</div>`;
  switch (block.type) {
    case 'header':
      return wrap('header', textObject(obj(block.text), ctx));
    case 'section':
      return wrap('section', section(block, blockId, ctx));
    case 'context':
      return wrap('context', contextElements(block, ctx));
    case 'divider':
      return '<hr class="bk bk-divider">';
    case 'actions':
      return wrap(
        'actions',
        list(block.elements)
          .map((el) => element(el, blockId, ctx))
          .join(''),
      );
    case 'input':
      // Not "bk-input": that is the text field's own class.
      return wrap('input-block', input(block, blockId, ctx, errors[blockId]));
    case 'image':
      return wrap('image', image(block, ctx));
    case 'rich_text':
      return wrap('rich-text', escapeHtml(richText(block)).replace(/\n/g, '<br>'));
    default:
      return wrap('unsupported', `[${escapeHtml(String(block.type ?? 'unknown'))} block]`);
  }
}

function section(block: JsonObject, blockId: string, ctx: RenderContext): string {
  const text = obj(block.text);
  const fields = list(block.fields);
  const accessory = obj(block.accessory);
  const body =
    (text ? `<div class="bk-text">${textObject(text, ctx)}</div>` : '') +
    (fields.length
      ? `<div class="bk-fields">${fields.map((f) => `<div class="bk-field">${textObject(f, ctx)}</div>`).join('')}</div>`
      : '');
  if (!accessory) return body;
  return `<div class="bk-with-accessory"><div class="bk-main">${body}</div><div class="bk-accessory">${element(accessory, blockId, ctx)}</div></div>`;
}

function contextElements(block: JsonObject, ctx: RenderContext): string {
  return list(block.elements)
    .map((el) => {
      if (el.type === 'image') {
        const url = str(el.image_url);
        return url && /^https?:\/\//.test(url)
          ? `<img class="bk-context-img" src="${escapeHtml(url)}" alt="${escapeHtml(str(el.alt_text) ?? '')}">`
          : '';
      }
      return `<span class="bk-context-item">${textObject(el, ctx)}</span>`;
    })
    .join('');
}

function input(block: JsonObject, blockId: string, ctx: RenderContext, error: string | undefined): string {
  const el = obj(block.element);
  const optional = block.optional === true ? ' <span class="bk-optional">(optional)</span>' : '';
  const hint = obj(block.hint);
  return (
    `<label class="bk-label">${textObject(obj(block.label), ctx)}${optional}</label>` +
    (el ? element(el, blockId, ctx) : '') +
    (hint ? `<div class="bk-hint">${textObject(hint, ctx)}</div>` : '') +
    `<div class="bk-error" data-error-for="${escapeHtml(blockId)}"${error ? '' : ' hidden'}>${error ? plainText(error) : ''}</div>`
  );
}

function image(block: JsonObject, ctx: RenderContext): string {
  const url = str(block.image_url);
  const title = obj(block.title);
  const img =
    url && /^https?:\/\//.test(url)
      ? `<img src="${escapeHtml(url)}" alt="${escapeHtml(str(block.alt_text) ?? '')}">`
      : '';
  return `${title ? `<div class="bk-image-title">${textObject(title, ctx)}</div>` : ''}${img}`;
}

/** rich_text as its plain words: Runway never sends it, people's clients do. */
function richText(block: JsonObject): string {
  const walk = (node: JsonObject): string => {
    if (typeof node.text === 'string') return node.text;
    if (node.type === 'user' && typeof node.user_id === 'string') return `@${node.user_id}`;
    if (node.type === 'link' && typeof node.url === 'string') return node.url;
    if (node.type === 'emoji' && typeof node.name === 'string') return `:${node.name}:`;
    return list(node.elements).map(walk).join('');
  };
  return list(block.elements).map(walk).join('\n');
}
