// Hand-made Slack requests for tests that need what the workspace would never send: forged or stale
// signatures, replays, odd payloads. Everything else should go through fake-slack's slash/click/tick.
import { computeSignature, nowSeconds, signRequest } from '../../src/sandbox/workspace/signing.ts';
import { verifySlackSignature } from './slack-signature.ts';

export { computeSignature, signRequest, verifySlackSignature, nowSeconds };
export {
  appHomeOpenedEvent,
  blockActionsPayload,
  buttonAction,
  checkboxesAction,
  eventCallback,
  formBody,
  interactivityBody,
  slashCommandFields,
  viewSubmissionPayload,
  type AppIdentity,
} from '../../src/sandbox/workspace/payloads.ts';

export interface SignOptions {
  /** Unix seconds; `nowSeconds() - 600` makes a stale request. */
  timestamp?: number;
  /** Sign with another secret: a forged request. */
  secret?: string;
}

/** X-Slack-Signature and X-Slack-Request-Timestamp for `body`. */
export function signedHeaders(
  secret: string,
  body: string,
  options: SignOptions = {},
): Record<string, string> {
  return { ...signRequest(options.secret ?? secret, body, options.timestamp ?? nowSeconds()) };
}

export interface PostOptions extends SignOptions {
  contentType?: string;
  /** Replace the signature headers altogether (e.g. `{}` for an unsigned request). */
  headers?: Record<string, string>;
}

/** POSTs `body` to `url` signed with `secret` (or as told) and returns the raw answer. */
export async function postSigned(
  url: string,
  secret: string,
  body: string,
  options: PostOptions = {},
): Promise<{ status: number; body: string }> {
  const headers = {
    'Content-Type': options.contentType ?? 'application/x-www-form-urlencoded',
    ...(options.headers ?? signedHeaders(secret, body, options)),
  };
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}

/** A slash command's form body with sensible defaults, for requests sent by hand. */
export function slashCommandBody(fields: Partial<Record<string, string>> = {}): string {
  const defaults: Record<string, string> = {
    token: 'verification-token',
    team_id: 'T0RUNWAY1',
    team_domain: 'runway-sandbox',
    channel_id: 'CRELEASES',
    channel_name: 'releases',
    user_id: 'UALICE',
    user_name: 'alice',
    command: '/release',
    text: 'help',
    api_app_id: 'A0RUNWAY1',
    is_enterprise_install: 'false',
    response_url: 'http://127.0.0.1:9/response/NOWHERE',
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
  };
  const merged: Record<string, string> = { ...defaults };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) merged[key] = value;
  return new URLSearchParams(merged).toString();
}
