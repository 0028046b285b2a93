// "A person acts": the page's POST endpoints, each validated with zod and sent to the bot through the
// workspace's driver, the same signed requests Slack would send. The answer says what the app's ack was.
import { z } from 'zod';
import type { AppResponse } from '../workspace/app-driver.ts';
import type { WorkspaceServer } from '../workspace/server.ts';
import { parseComposerLine } from './command-line.ts';

const userId = z.string().regex(/^U[A-Z0-9]{2,20}$/, 'a user id (U…)');
const channelId = z.string().regex(/^[CDG][A-Z0-9]{2,20}$/, 'a channel id (C…)');
const ts = z.string().regex(/^\d{1,12}\.\d{1,6}$/, 'a message ts');
const id = z.string().min(1).max(255);
const viewId = z.string().regex(/^V[A-Z0-9]{2,20}$/, 'a view id (V…)');

export const schemas = {
  command: z.object({
    user: userId,
    channel: channelId,
    text: z.string().max(4000),
    threadTs: ts.optional(),
  }),
  click: z.object({
    user: userId,
    channel: channelId,
    ts,
    actionId: id,
    value: z.string().max(2000).optional(),
    blockId: id.optional(),
  }),
  tick: z.object({
    user: userId,
    channel: channelId,
    ts,
    actionId: id,
    values: z.array(z.string().max(150)).max(10),
    blockId: id.optional(),
  }),
  submit: z.object({
    user: userId,
    viewId,
    values: z.record(
      z.string(),
      z.record(z.string(), z.union([z.string().max(3000), z.array(z.string()), z.null()])),
    ),
  }),
  home: z.object({ user: userId }),
  close: z.object({ user: userId, viewId }),
} as const;

export type ActionName = keyof typeof schemas;

export interface ActionResult {
  status: number;
  body: Record<string, unknown>;
}

/** The ack, as the page needs it: did the app take it, and if not, Slack's words for why. */
const acked = (response: AppResponse, extra: Record<string, unknown> = {}): ActionResult => ({
  status: 200,
  body: {
    ok: response.status === 200,
    appStatus: response.status,
    ms: Math.round(response.ms),
    ...(response.error ? { error: response.error } : {}),
    ...extra,
  },
});

const refused = (status: number, error: string, detail?: string): ActionResult => ({
  status,
  body: { ok: false, error, ...(detail ? { detail } : {}) },
});

type Handler = (workspace: WorkspaceServer, input: unknown) => Promise<ActionResult>;

/** Validates the body with `schema`, checks the person exists, then acts. */
function handler<S extends z.ZodType<{ user: string }>>(
  schema: S,
  act: (workspace: WorkspaceServer, body: z.infer<S>) => Promise<ActionResult>,
): Handler {
  return async (workspace, input) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      return refused(400, 'invalid_body', detail);
    }
    const person = workspace.store.user(parsed.data.user);
    if (!person || person.is_bot) return refused(400, 'unknown_user');
    try {
      return await act(workspace, parsed.data);
    } catch (error) {
      // The driver throws when the person acts on something that is gone (a message, a button, a modal).
      return refused(409, 'not_possible', error instanceof Error ? error.message : String(error));
    }
  };
}

const handlers: Record<ActionName, Handler> = {
  command: handler(schemas.command, command),
  click: handler(schemas.click, async (workspace, b) =>
    acked(
      await workspace.click(
        b.user,
        { channel: b.channel, ts: b.ts },
        b.actionId,
        b.value,
        b.blockId ? { blockId: b.blockId } : {},
      ),
    ),
  ),
  tick: handler(schemas.tick, async (workspace, b) =>
    acked(
      await workspace.tick(
        b.user,
        { channel: b.channel, ts: b.ts },
        b.actionId,
        b.values,
        b.blockId ? { blockId: b.blockId } : {},
      ),
    ),
  ),
  submit: handler(schemas.submit, async (workspace, b) => {
    const response = await workspace.submitView(b.user, b.viewId, b.values);
    const view = workspace.store.views.get(b.viewId);
    // Errors from the ack keep the modal open; the page shows them under their inputs.
    return acked(response, { open: view?.open ?? false, errors: view?.open ? (view.errors ?? {}) : {} });
  }),
  home: handler(schemas.home, async (workspace, b) => acked(await workspace.openHome(b.user))),
  // Closing a modal with Cancel: Slack tells the app only when it asked (notify_on_close), Runway does not.
  close: handler(schemas.close, async (workspace, b) => {
    const view = workspace.store.views.get(b.viewId);
    if (!view || view.user !== b.user) return refused(404, 'view_not_found');
    workspace.store.views.close(b.viewId);
    return { status: 200, body: { ok: true } };
  }),
};

export const ACTION_NAMES = Object.keys(schemas) as ActionName[];

export function runAction(
  workspace: WorkspaceServer,
  name: ActionName,
  input: unknown,
): Promise<ActionResult> {
  return handlers[name](workspace, input);
}

async function command(
  workspace: WorkspaceServer,
  b: z.infer<typeof schemas.command>,
): Promise<ActionResult> {
  const store = workspace.store;
  if (!store.channel(b.channel)) return refused(404, 'channel_not_found');
  const line = parseComposerLine(b.text);
  switch (line.kind) {
    case 'empty':
      return refused(400, 'empty');
    case 'unknown_command':
      // What Slack's client says, as a Slackbot notice only the typist sees.
      store.postEphemeral({
        channel: b.channel,
        user: b.user,
        text: `${line.command} is not a valid command. The sandbox knows /release, /incident and /handoff.`,
        fromSlackbot: true,
      });
      return { status: 200, body: { ok: false, error: 'unknown_command' } };
    case 'message': {
      // A person's message: Slack stores & < > as entities, so it is shown as typed.
      const text = line.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const thread = b.threadTs ? { thread_ts: b.threadTs } : {};
      const message = store.postMessage({ channel: b.channel, user: b.user, text, ...thread });
      return { status: 200, body: { ok: true, ts: message.ts } };
    }
    case 'command':
      return acked(await workspace.slash(b.user, b.channel, line.command, line.text));
  }
}
