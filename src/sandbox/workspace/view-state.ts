// `state.values` as Slack builds it for block_actions and view_submission payloads: for every stateful
// element, keyed by block_id then action_id, its current value. Callers give plain values
// ("v1.2.3", ["backup"]) and get Slack's shapes (value, selected_option(s), selected_user, …).
import { isObject } from './args.ts';
import { elementsOf } from './block-walk.ts';
import type { Json, JsonObject } from './types.ts';

/** block_id → action_id → the value typed or picked (an option value, a user id, a date, …). */
export type SimpleValues = Record<string, Record<string, string | string[] | null>>;
export type StateValues = Record<string, Record<string, JsonObject>>;

const TEXT_INPUTS = new Set(['plain_text_input', 'number_input', 'email_text_input', 'url_text_input']);

function options(element: JsonObject): JsonObject[] {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.flatMap((g) => (isObject(g) && Array.isArray(g.options) ? g.options : []))
    : [];
  return [...direct, ...grouped].filter((o): o is JsonObject => isObject(o));
}

/** The element's options whose values are given; an unknown value is a test bug, so it throws. */
export function pickOptions(element: JsonObject, values: string[]): JsonObject[] {
  const all = options(element);
  return values.map((value) => {
    const option = all.find((o) => o.value === value);
    if (!option) throw new Error(`no option with value ${value} in ${String(element.action_id)}`);
    return option;
  });
}

const asList = (value: string | string[] | null | undefined): string[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];

const first = (value: string | string[] | null | undefined): string | null => asList(value)[0] ?? null;

/** One element's state: `given` when the user set it, else what the element starts with. */
function stateOf(
  element: JsonObject,
  given: string | string[] | null | undefined,
  isGiven: boolean,
): JsonObject | undefined {
  const type = String(element.type);
  const initial = (key: string): Json => (element[key] === undefined ? null : (element[key] as Json));
  if (TEXT_INPUTS.has(type)) return { type, value: isGiven ? first(given) : initial('initial_value') };
  switch (type) {
    case 'checkboxes':
    case 'multi_static_select':
      return {
        type,
        selected_options: isGiven ? pickOptions(element, asList(given)) : (initial('initial_options') ?? []),
      };
    case 'static_select':
    case 'radio_buttons': {
      const value = first(given);
      const picked = value === null ? null : (pickOptions(element, [value])[0] ?? null);
      return { type, selected_option: isGiven ? picked : initial('initial_option') };
    }
    case 'users_select':
      return { type, selected_user: isGiven ? first(given) : initial('initial_user') };
    case 'multi_users_select':
      return { type, selected_users: isGiven ? asList(given) : (initial('initial_users') ?? []) };
    case 'conversations_select':
      return { type, selected_conversation: isGiven ? first(given) : initial('initial_conversation') };
    case 'channels_select':
      return { type, selected_channel: isGiven ? first(given) : initial('initial_channel') };
    case 'datepicker':
      return { type, selected_date: isGiven ? first(given) : initial('initial_date') };
    case 'timepicker':
      return { type, selected_time: isGiven ? first(given) : initial('initial_time') };
    default:
      return undefined;
  }
}

export function buildState(blocks: JsonObject[], values: SimpleValues = {}): StateValues {
  const state: StateValues = {};
  for (const { block_id, element } of elementsOf(blocks)) {
    const actionId = String(element.action_id ?? '');
    const byAction = values[block_id];
    const isGiven = byAction !== undefined && actionId in byAction;
    const value = stateOf(element, byAction?.[actionId], isGiven);
    if (!value) continue;
    state[block_id] = { ...state[block_id], [actionId]: value };
  }
  return state;
}
