// What a person reads in a workspace message: its text and its blocks' text, in order. Tests match
// messages against it (the workspace itself never needs it).
import { isObject } from '../../src/sandbox/workspace/args.ts';
import type { Json, JsonObject } from '../../src/sandbox/workspace/types.ts';

const asObject = (value: Json | undefined): JsonObject | undefined =>
  isObject(value) ? (value as JsonObject) : undefined;

function textOf(value: Json | undefined): string[] {
  const object = asObject(value);
  if (object && typeof object.text === 'string') return [object.text];
  if (object && typeof object.text === 'object') return textOf(object.text);
  return [];
}

/** Every human-readable string of the blocks, in order: what a reader of the message sees. */
export function blocksText(blocks: JsonObject[]): string {
  const parts: string[] = [];
  for (const block of blocks) {
    parts.push(...textOf(block.text));
    if (Array.isArray(block.fields)) for (const field of block.fields) parts.push(...textOf(field));
    if (Array.isArray(block.elements)) for (const element of block.elements) parts.push(...textOf(element));
    parts.push(...textOf(block.accessory));
    if (block.type === 'input') parts.push(...textOf(block.label));
  }
  return parts.join('\n');
}

/** A message's text and its blocks' text: what tests match against. */
export function messageText(message: { text: string; blocks?: JsonObject[] }): string {
  const fromBlocks = message.blocks ? blocksText(message.blocks) : '';
  return [message.text, fromBlocks].filter(Boolean).join('\n');
}
