// Walking Block Kit: Slack gives blocks without block_id (and interactive elements without action_id)
// generated ids when it stores them, and interactivity payloads carry those; the sandbox does the same.
import { isObject } from './args.ts';
import { newToken } from './ids.ts';
import type { Json, JsonObject } from './types.ts';

export interface ElementAt {
  block_id: string;
  element: JsonObject;
}

const asObject = (value: Json | undefined): JsonObject | undefined =>
  isObject(value) ? (value as JsonObject) : undefined;

/** The interactive elements of one block: an actions block's elements, an accessory, an input's element. */
function elementsOfBlock(block: JsonObject): JsonObject[] {
  const found: JsonObject[] = [];
  if (Array.isArray(block.elements) && block.type === 'actions') {
    for (const element of block.elements) {
      const object = asObject(element);
      if (object) found.push(object);
    }
  }
  const accessory = asObject(block.accessory);
  if (accessory) found.push(accessory);
  const element = asObject(block.element);
  if (element) found.push(element);
  return found;
}

export function elementsOf(blocks: JsonObject[]): ElementAt[] {
  return blocks.flatMap((block) =>
    elementsOfBlock(block).map((element) => ({ block_id: String(block.block_id ?? ''), element })),
  );
}

/** A copy of the blocks with a generated block_id and action_id wherever the app left them out. */
export function withGeneratedIds(blocks: JsonObject[]): JsonObject[] {
  const copy = structuredClone(blocks);
  for (const block of copy) {
    if (typeof block.block_id !== 'string') block.block_id = newToken(3);
    for (const element of elementsOfBlock(block)) {
      if (element.type !== 'image' && typeof element.action_id !== 'string') element.action_id = newToken(3);
    }
  }
  return copy;
}

export function findElement(blocks: JsonObject[], actionId: string, blockId?: string): ElementAt | undefined {
  return elementsOf(blocks).find(
    (at) => at.element.action_id === actionId && (blockId === undefined || at.block_id === blockId),
  );
}
