// views.*: the Home tab (publish) and modals (open, push, update). A modal needs a fresh trigger_id,
// exchanged once within 3 s, exactly what makes "open the modal inside the listener" a rule.
import { viewObject } from './api-shapes.ts';
import { isObject, json, str } from './args.ts';
import { SLACK_LIMITS as L } from '../../slack/blockkit.ts';
import { checkBlocks } from './block-limits.ts';
import { withGeneratedIds } from './block-walk.ts';
import { fail, failWith, ok, type ApiResult, type Method, type MethodContext } from './method-kit.ts';
import type { JsonObject, StoredView } from './types.ts';
import type { ViewWriteError } from './view-store.ts';

const PUSH_LIMIT = 3;

function plainTextProblem(value: unknown, at: string, max: number, needed: boolean): string[] {
  if (value === undefined) return needed ? [`must provide an object [json-pointer:${at}]`] : [];
  if (
    !isObject(value) ||
    value.type !== 'plain_text' ||
    typeof value.text !== 'string' ||
    value.text === ''
  ) {
    return [`must be a plain_text object with text [json-pointer:${at}]`];
  }
  return value.text.length > max ? [`must be less than ${max + 1} characters [json-pointer:${at}/text]`] : [];
}

/** The view argument, checked like Slack: views.* answer invalid_arguments with the problems listed. */
function viewArg(ctx: MethodContext, type: StoredView['type']): JsonObject | ApiResult {
  const view = json(ctx.args, 'view', 'invalid_arguments');
  if (!isObject(view)) return failWith('invalid_arguments', ['must provide an object [json-pointer:/view]']);
  const problems: string[] = [];
  if (view.type !== type) problems.push(`must be ${type} [json-pointer:/view/type]`);
  const blocks = checkBlocks(view.blocks, 'view');
  if (!blocks.ok)
    problems.push(
      ...blocks.errors.map((e) => e.replace('json-pointer:/blocks', 'json-pointer:/view/blocks')),
    );
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > L.viewPrivateMetadata) {
    problems.push(
      `must be less than ${L.viewPrivateMetadata + 1} characters [json-pointer:/view/private_metadata]`,
    );
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > L.viewCallbackId) {
    problems.push(`must be less than ${L.viewCallbackId + 1} characters [json-pointer:/view/callback_id]`);
  }
  if (type === 'modal') {
    problems.push(...plainTextProblem(view.title, '/view/title', 24, true));
    problems.push(...plainTextProblem(view.submit, '/view/submit', 24, false));
    problems.push(...plainTextProblem(view.close, '/view/close', 24, false));
    const hasInputs =
      Array.isArray(view.blocks) && view.blocks.some((b: unknown) => isObject(b) && b.type === 'input');
    if (hasInputs && view.submit === undefined)
      problems.push('must provide submit with input blocks [json-pointer:/view/submit]');
  }
  if (problems.length > 0) return failWith('invalid_arguments', problems);
  const definition = view as JsonObject;
  return { ...definition, blocks: withGeneratedIds(blocks.ok ? blocks.blocks : []) };
}

const isApiResult = (value: JsonObject | ApiResult | StoredView | ViewWriteError): value is ApiResult =>
  typeof value === 'object' && 'ok' in value && typeof value.ok === 'boolean';

function answer(ctx: MethodContext, view: StoredView | ViewWriteError): ApiResult {
  return typeof view === 'string' ? fail(view) : ok({ view: viewObject(view, ctx.store) });
}

function exchangeTrigger(ctx: MethodContext): { user: string } | ApiResult {
  const triggerId = str(ctx.args, 'trigger_id');
  if (!triggerId) return failWith('invalid_arguments', ['missing required field: trigger_id']);
  const use = ctx.store.interactions.useTrigger(triggerId);
  if (use.result === 'exchanged') return fail('exchanged_trigger_id');
  if (use.result === 'expired' || !use.user) return fail('expired_trigger_id');
  return { user: use.user };
}

const publish: Method = (ctx) => {
  const userId = str(ctx.args, 'user_id');
  if (!userId || !ctx.store.user(userId)) return fail('user_not_found');
  const view = viewArg(ctx, 'home');
  if (isApiResult(view)) return view;
  return answer(ctx, ctx.store.views.publishHome(userId, view, str(ctx.args, 'hash')));
};

const open: Method = (ctx) => {
  const view = viewArg(ctx, 'modal');
  if (isApiResult(view)) return view;
  const trigger = exchangeTrigger(ctx);
  if ('ok' in trigger) return trigger;
  return answer(ctx, ctx.store.views.open(trigger.user, view));
};

const push: Method = (ctx) => {
  const view = viewArg(ctx, 'modal');
  if (isApiResult(view)) return view;
  const trigger = exchangeTrigger(ctx);
  if ('ok' in trigger) return trigger;
  const stack = ctx.store.views.openModals(trigger.user);
  if (stack.length >= PUSH_LIMIT) return fail('push_limit_reached');
  return answer(ctx, ctx.store.views.open(trigger.user, view, stack.at(-1)));
};

const update: Method = (ctx) => {
  const viewId = str(ctx.args, 'view_id');
  const externalId = str(ctx.args, 'external_id');
  if (!viewId && !externalId) return failWith('invalid_arguments', ['must provide view_id or external_id']);
  const existing = viewId ? ctx.store.views.get(viewId) : ctx.store.views.byExternalId(externalId ?? '');
  if (!existing) return fail('not_found');
  const view = viewArg(ctx, existing.type);
  if (isApiResult(view)) return view;
  return answer(ctx, ctx.store.views.update(existing.id, view, str(ctx.args, 'hash')));
};

export const viewMethods: Record<string, Method> = {
  'views.publish': publish,
  'views.open': open,
  'views.push': push,
  'views.update': update,
};
