// What Slack sends an app, shaped as Slack's docs show it: slash commands (form fields), interactivity
// (`payload=<json>` forms: block_actions, view_submission) and Events API callbacks (JSON).
// Pure builders: the caller issues trigger_ids and response_urls and signs the body.
import type { Team } from './seed.ts';
import type { Channel, JsonObject, User } from './types.ts';
import type { StateValues } from './view-state.ts';

export interface AppIdentity {
  team: Team;
  apiAppId: string;
  /** The deprecated verification token Slack still sends in every payload. */
  verificationToken: string;
  botUserId: string;
}

export interface PayloadUser {
  id: string;
  username: string;
  name: string;
  team_id: string;
}

export function payloadUser(user: User): PayloadUser {
  return { id: user.id, username: user.name, name: user.name, team_id: user.team_id };
}

export interface SlashCommandInput {
  user: User;
  channel: Pick<Channel, 'id' | 'name'>;
  command: string;
  text: string;
  responseUrl: string;
  triggerId: string;
}

/** The form fields of a slash command, in the order Slack sends them. */
export function slashCommandFields(app: AppIdentity, input: SlashCommandInput): Record<string, string> {
  return {
    token: app.verificationToken,
    team_id: app.team.id,
    team_domain: app.team.domain,
    channel_id: input.channel.id,
    channel_name: input.channel.name,
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command.startsWith('/') ? input.command : `/${input.command}`,
    text: input.text,
    api_app_id: app.apiAppId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** Interactivity payloads travel as one form field, `payload`, holding the JSON. */
export function interactivityBody(payload: object): string {
  return formBody({ payload: JSON.stringify(payload) });
}

export interface ButtonAction {
  type: 'button';
  action_id: string;
  block_id: string;
  text: JsonObject;
  value?: string;
  style?: string;
  action_ts: string;
}

export interface CheckboxesAction {
  type: 'checkboxes';
  action_id: string;
  block_id: string;
  selected_options: JsonObject[];
  action_ts: string;
}

export type BlockAction = ButtonAction | CheckboxesAction;

export function buttonAction(
  element: JsonObject,
  blockId: string,
  actionTs: string,
  value?: string,
): ButtonAction {
  const given = value ?? (typeof element.value === 'string' ? element.value : undefined);
  return {
    type: 'button',
    action_id: String(element.action_id),
    block_id: blockId,
    text: (element.text as JsonObject | undefined) ?? { type: 'plain_text', text: '', emoji: true },
    ...(given !== undefined ? { value: given } : {}),
    ...(typeof element.style === 'string' ? { style: element.style } : {}),
    action_ts: actionTs,
  };
}

export function checkboxesAction(
  element: JsonObject,
  blockId: string,
  selected: JsonObject[],
  actionTs: string,
): CheckboxesAction {
  return {
    type: 'checkboxes',
    action_id: String(element.action_id),
    block_id: blockId,
    selected_options: selected,
    action_ts: actionTs,
  };
}

export interface MessageContainer {
  type: 'message';
  message_ts: string;
  channel_id: string;
  is_ephemeral: boolean;
  thread_ts?: string;
}

export interface BlockActionsInput {
  user: User;
  channel: Pick<Channel, 'id' | 'name'>;
  /** The message as the clicker's client has it; Slack leaves it out for ephemeral messages. */
  message?: Record<string, unknown>;
  container: MessageContainer;
  triggerId: string;
  responseUrl: string;
  actions: BlockAction[];
  state: StateValues;
}

export interface BlockActionsPayload {
  type: 'block_actions';
  user: PayloadUser;
  api_app_id: string;
  token: string;
  container: MessageContainer;
  trigger_id: string;
  team: { id: string; domain: string };
  enterprise: null;
  is_enterprise_install: false;
  channel: { id: string; name: string };
  message?: Record<string, unknown>;
  state: { values: StateValues };
  response_url: string;
  actions: BlockAction[];
}

export function blockActionsPayload(app: AppIdentity, input: BlockActionsInput): BlockActionsPayload {
  return {
    type: 'block_actions',
    user: payloadUser(input.user),
    api_app_id: app.apiAppId,
    token: app.verificationToken,
    container: input.container,
    trigger_id: input.triggerId,
    team: { id: app.team.id, domain: app.team.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel.id, name: input.channel.name },
    ...(input.message ? { message: input.message } : {}),
    state: { values: input.state },
    response_url: input.responseUrl,
    actions: input.actions,
  };
}

export interface ViewSubmissionPayload {
  type: 'view_submission';
  team: { id: string; domain: string };
  user: PayloadUser;
  api_app_id: string;
  token: string;
  trigger_id: string;
  /** The view object as views.open returned it, with the submitted state.values. */
  view: Record<string, unknown> & {
    id: string;
    callback_id: string;
    private_metadata: string;
    state: { values: StateValues };
  };
  response_urls: never[];
  enterprise: null;
  is_enterprise_install: false;
}

export function viewSubmissionPayload(
  app: AppIdentity,
  input: { user: User; view: Record<string, unknown>; state: StateValues; triggerId: string },
): ViewSubmissionPayload {
  const view = input.view;
  return {
    type: 'view_submission',
    team: { id: app.team.id, domain: app.team.domain },
    user: payloadUser(input.user),
    api_app_id: app.apiAppId,
    token: app.verificationToken,
    trigger_id: input.triggerId,
    view: {
      ...view,
      id: String(view.id),
      callback_id: String(view.callback_id ?? ''),
      private_metadata: String(view.private_metadata ?? ''),
      state: { values: input.state },
    },
    response_urls: [],
    enterprise: null,
    is_enterprise_install: false,
  };
}

export interface EventCallback {
  token: string;
  team_id: string;
  api_app_id: string;
  event: Record<string, unknown> & { type: string };
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: {
    enterprise_id: null;
    team_id: string;
    user_id: string;
    is_bot: true;
    is_enterprise_install: false;
  }[];
  is_ext_shared_channel: false;
  event_context: string;
}

export function eventCallback(
  app: AppIdentity,
  event: Record<string, unknown> & { type: string },
  ids: { eventId: string; eventTime: number },
): EventCallback {
  return {
    token: app.verificationToken,
    team_id: app.team.id,
    api_app_id: app.apiAppId,
    event,
    type: 'event_callback',
    event_id: ids.eventId,
    event_time: ids.eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: app.team.id,
        user_id: app.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(ids.eventId).toString('base64url')}`,
  };
}

/** The app_home_opened event; `view` is the Home tab the user had, when one was published. */
export function appHomeOpenedEvent(input: {
  user: string;
  channel: string;
  eventTs: string;
  view?: Record<string, unknown>;
}): Record<string, unknown> & { type: 'app_home_opened' } {
  return {
    type: 'app_home_opened',
    user: input.user,
    channel: input.channel,
    tab: 'home',
    event_ts: input.eventTs,
    ...(input.view ? { view: input.view } : {}),
  };
}
