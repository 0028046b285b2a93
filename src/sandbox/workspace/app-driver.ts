// What Slack does when a person acts: it issues a trigger_id and a response_url, builds the payload,
// signs it, POSTs it to the app's request URL, waits up to 3 s for the ack, and shows what the ack says
// (a slash command's reply, a modal's validation errors) or Slackbot's "failed with the error …".
import { messageObject, viewObject } from './api-shapes.ts';
import { findElement } from './block-walk.ts';
import { newId } from './ids.ts';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  buttonAction,
  checkboxesAction,
  eventCallback,
  formBody,
  interactivityBody,
  slashCommandFields,
  type AppIdentity,
  viewSubmissionPayload,
  type BlockAction,
} from './payloads.ts';
import { applyViewAck, showCommandAck } from './ack-effects.ts';
import { signRequest } from './signing.ts';
import type { WorkspaceStore } from './store.ts';
import type { Ephemeral, JsonObject, Message, User } from './types.ts';
import { buildState, pickOptions, type SimpleValues } from './view-state.ts';

export interface AppResponse {
  /** The app's HTTP status; 0 when it did not answer in time or could not be reached. */
  status: number;
  body: string;
  /** How long the app took to ack. */
  ms: number;
  /** What Slack would tell the user when the app did not answer. */
  error?: 'operation_timeout' | 'dispatch_failed';
}

export interface DriverOptions {
  store: WorkspaceStore;
  signingSecret: string;
  verificationToken: string;
  baseUrl: () => string;
  appUrl: () => string | undefined;
  /** Slack gives up on an ack after 3 s. */
  ackTimeoutMs: number;
  /** Another way to reach the app than signed HTTP (a Socket Mode connection), when it has one. */
  transport?: () => AppTransport | undefined;
}

/** Delivers a request body (as it would be POSTed) some other way and returns the app's ack. */
export type AppTransport = (body: string, contentType: string) => Promise<AppResponse>;

export interface ClickExtras {
  blockId?: string;
  /** Send this element instead of looking it up in the message: a stale or forged button. */
  element?: JsonObject;
  /** Other stateful elements of the message as the clicker's client has them (checkboxes, selects). */
  state?: SimpleValues;
}

export interface SendOptions {
  headers?: Record<string, string>;
}

export type MessageRef = Pick<Message, 'channel' | 'ts'>;

type Located = { message: Message; isEphemeral: false } | { message: Ephemeral; isEphemeral: true };

const USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';
const FORM = 'application/x-www-form-urlencoded';

export class AppDriver {
  constructor(private readonly options: DriverOptions) {}

  private get store(): WorkspaceStore {
    return this.options.store;
  }

  private app(): AppIdentity {
    return {
      team: this.store.team,
      apiAppId: this.store.bot.app_id,
      verificationToken: this.options.verificationToken,
      botUserId: this.store.bot.user_id,
    };
  }

  /** `/command text` typed by `user` in `channelId`; the ack's text or blocks are shown like Slack shows them. */
  async slash(userRef: string, channelId: string, command: string, text: string): Promise<AppResponse> {
    const user = this.user(userRef);
    const channel = this.store.resolveChannel(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    const responseId = this.store.interactions.issueResponseUrl({
      channel: channel.id,
      user: user.id,
      isEphemeral: false,
    });
    const fields = slashCommandFields(this.app(), {
      user,
      channel,
      command,
      text,
      responseUrl: this.responseUrl(responseId),
      triggerId: this.store.interactions.issueTrigger(user.id),
    });
    const response = await this.send(formBody(fields), FORM);
    showCommandAck(
      this.store,
      { user: user.id, channel: channel.id, command: fields.command ?? command },
      response,
    );
    return response;
  }

  /** A click on the button `actionId` of a message (or ephemeral message) by `user`. */
  async click(
    userRef: string,
    message: MessageRef,
    actionId: string,
    value?: string,
    extras: ClickExtras = {},
  ): Promise<AppResponse> {
    const target = this.element(message, actionId, extras);
    if (target.element.type !== 'button')
      throw new Error(`${actionId} is a ${String(target.element.type)}, not a button`);
    const action = buttonAction(target.element, target.block_id, this.store.nextTs(), value);
    return this.sendBlockActions(userRef, message, action, extras.state ?? {});
  }

  /** `user` ticks the checkboxes `actionId` so that exactly `selectedValues` are checked. */
  async tick(
    userRef: string,
    message: MessageRef,
    actionId: string,
    selectedValues: string[],
    extras: ClickExtras = {},
  ): Promise<AppResponse> {
    const target = this.element(message, actionId, extras);
    if (target.element.type !== 'checkboxes')
      throw new Error(`${actionId} is a ${String(target.element.type)}, not checkboxes`);
    const selected = pickOptions(target.element, selectedValues);
    const action = checkboxesAction(target.element, target.block_id, selected, this.store.nextTs());
    const state: SimpleValues = {
      ...extras.state,
      [target.block_id]: { ...extras.state?.[target.block_id], [action.action_id]: selectedValues },
    };
    return this.sendBlockActions(userRef, message, action, state);
  }

  /** Submits the open modal `viewId` with `values`; the ack closes it, shows errors, updates or pushes. */
  async submitView(userRef: string, viewId: string, values: SimpleValues = {}): Promise<AppResponse> {
    const user = this.user(userRef);
    const view = this.store.views.get(viewId);
    if (!view || view.type !== 'modal' || !view.open) throw new Error(`no open modal ${viewId}`);
    if (view.user !== user.id) throw new Error(`modal ${viewId} belongs to ${view.user}, not ${user.id}`);
    const blocks = (view.definition.blocks ?? []) as JsonObject[];
    const payload = viewSubmissionPayload(this.app(), {
      user,
      view: viewObject(view, this.store),
      state: buildState(blocks, values),
      triggerId: this.store.interactions.issueTrigger(user.id),
    });
    const response = await this.send(interactivityBody(payload), FORM);
    applyViewAck(this.store, view, response);
    return response;
  }

  /** `user` opens the app's Home tab. */
  async openHome(userRef: string): Promise<AppResponse> {
    const user = this.user(userRef);
    const home = this.store.views.home(user.id);
    const event = appHomeOpenedEvent({
      user: user.id,
      channel: `D${user.id.slice(1)}`,
      eventTs: this.store.nextTs(),
      ...(home ? { view: viewObject(home, this.store) } : {}),
    });
    return this.sendEvent(event);
  }

  /** Delivers an Events API event; `retryNum` marks a redelivery, as Slack's X-Slack-Retry-Num does. */
  async sendEvent(
    event: Record<string, unknown> & { type: string },
    retry?: { retryNum: number; retryReason?: string; eventId?: string },
  ): Promise<AppResponse> {
    const payload = eventCallback(this.app(), event, {
      eventId: retry?.eventId ?? newId('Ev'),
      eventTime: Math.floor(this.store.now() / 1000),
    });
    const headers: Record<string, string> = retry
      ? {
          'X-Slack-Retry-Num': String(retry.retryNum),
          'X-Slack-Retry-Reason': retry.retryReason ?? 'http_timeout',
        }
      : {};
    return this.send(JSON.stringify(payload), 'application/json', { headers });
  }

  /** Delivers a request to the app (Socket Mode when a transport is set), returning its ack. */
  async send(body: string, type: string, options: SendOptions = {}): Promise<AppResponse> {
    const transport = this.options.transport?.();
    if (transport) return transport(body, type);
    const url = this.options.appUrl();
    if (!url) throw new Error('the workspace has no app URL yet: call setAppUrl() once the bot listens');
    const started = performance.now();
    const headers = {
      'Content-Type': type,
      'User-Agent': USER_AGENT,
      ...signRequest(this.options.signingSecret, body),
      ...options.headers,
    };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.options.ackTimeoutMs),
      });
      const text = await response.text();
      return { status: response.status, body: text, ms: performance.now() - started };
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return {
        status: 0,
        body: '',
        ms: performance.now() - started,
        error: timedOut ? 'operation_timeout' : 'dispatch_failed',
      };
    }
  }

  private async sendBlockActions(
    userRef: string,
    ref: MessageRef,
    action: BlockAction,
    values: SimpleValues,
  ): Promise<AppResponse> {
    const user = this.user(userRef);
    const found = this.locate(ref);
    const { message: located, isEphemeral } = found;
    const channel = this.store.channel(located.channel);
    if (!channel) throw new Error(`no channel ${located.channel}`);
    const threadTs = located.thread_ts && located.thread_ts !== located.ts ? located.thread_ts : undefined;
    const responseId = this.store.interactions.issueResponseUrl({
      channel: channel.id,
      user: user.id,
      messageTs: located.ts,
      isEphemeral,
      ...(threadTs ? { threadTs } : {}),
    });
    const payload = blockActionsPayload(this.app(), {
      user,
      channel,
      // Slack leaves the message out of payloads from ephemeral messages.
      ...(found.isEphemeral ? {} : { message: messageObject(found.message, this.options.baseUrl()) }),
      container: {
        type: 'message',
        message_ts: located.ts,
        channel_id: channel.id,
        is_ephemeral: isEphemeral,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      },
      triggerId: this.store.interactions.issueTrigger(user.id),
      responseUrl: this.responseUrl(responseId),
      actions: [action],
      state: buildState(located.blocks ?? [], values),
    });
    return this.send(interactivityBody(payload), FORM);
  }

  /** The message as it is now (the card may have been edited since the test read it). */
  private locate(ref: MessageRef): Located {
    const message = this.store.message(ref.channel, ref.ts);
    if (message) return { message, isEphemeral: false };
    const ephemeral = this.store.ephemeral(ref.ts);
    if (ephemeral) return { message: ephemeral, isEphemeral: true };
    throw new Error(`no message ${ref.ts} in ${ref.channel}`);
  }

  private element(
    ref: MessageRef,
    actionId: string,
    extras: ClickExtras,
  ): { block_id: string; element: JsonObject } {
    if (extras.element)
      return { block_id: extras.blockId ?? 'forged', element: { action_id: actionId, ...extras.element } };
    const found = findElement(this.locate(ref).message.blocks ?? [], actionId, extras.blockId);
    if (!found) throw new Error(`no element ${actionId} in message ${ref.ts}`);
    return found;
  }

  private user(ref: string): User {
    const user = this.store.resolveUser(ref);
    if (!user) throw new Error(`no user ${ref}`);
    return user;
  }

  private responseUrl(id: string): string {
    return `${this.options.baseUrl()}/response/${id}`;
  }
}
