// What the workspace sends an app when people act, checked on the wire by a bare HTTP app that
// verifies signatures and answers with whatever ack the test wants.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import { verifySlackSignature } from '../../helpers/slack-signature.ts';
import { startServer, type RecordedRequest, type TestServer } from '../../helpers/http-server.ts';
import { startFakeSlackWithClient, type FakeSlack } from '../../helpers/fake-slack.ts';

type Ack = { status?: number; body?: string | object; delayMs?: number };

let slack: FakeSlack;
let client: WebClient;
let app: TestServer;
let nextAck: Ack = {};

beforeEach(async () => {
  ({ slack, client } = await startFakeSlackWithClient({ ackTimeoutMs: 500 }));
  app = await startServer(async (_req: IncomingMessage, res: ServerResponse) => {
    const ack = nextAck;
    if (ack.delayMs) await new Promise((resolve) => setTimeout(resolve, ack.delayMs));
    const body =
      ack.body === undefined ? '' : typeof ack.body === 'string' ? ack.body : JSON.stringify(ack.body);
    res.writeHead(
      ack.status ?? 200,
      typeof ack.body === 'object' ? { 'Content-Type': 'application/json' } : {},
    );
    res.end(body);
  });
  slack.setAppUrl(`${app.url}/slack/events`);
  nextAck = {};
});
afterEach(async () => {
  await app.close();
  await slack.close();
});

function lastRequest(): RecordedRequest {
  const request = app.requests.at(-1);
  if (!request) throw new Error('the app got nothing');
  return request;
}

function signedCorrectly(request: RecordedRequest): boolean {
  return verifySlackSignature({
    signingSecret: slack.signingSecret,
    body: request.body,
    signature: request.headers['x-slack-signature'] as string,
    timestamp: request.headers['x-slack-request-timestamp'] as string,
  }).ok;
}

function formOf(request: RecordedRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body.toString('utf8')));
}

function payloadOf(request: RecordedRequest): Record<string, unknown> {
  return JSON.parse(formOf(request).payload ?? '{}') as Record<string, unknown>;
}

const card = {
  text: 'checkout v1.2.3 to production',
  blocks: [
    { type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: '*checkout* v1.2.3' } },
    {
      type: 'actions',
      block_id: 'preflight',
      elements: [
        {
          type: 'checkboxes',
          action_id: 'preflight_tick',
          options: [
            { text: { type: 'plain_text', text: 'Database backup completed' }, value: 'backup' },
            { text: { type: 'plain_text', text: 'Status page ready' }, value: 'status_page' },
          ],
        },
      ],
    },
    {
      type: 'actions',
      block_id: 'decide',
      elements: [
        {
          type: 'button',
          action_id: 'release_approve',
          text: { type: 'plain_text', text: 'Approve' },
          value: 'r-1',
          style: 'primary',
        },
        {
          type: 'button',
          action_id: 'release_reject',
          text: { type: 'plain_text', text: 'Reject' },
          value: 'r-1',
          style: 'danger',
        },
      ],
    },
  ],
};

async function postCard() {
  const posted = await client.chat.postMessage({ channel: 'CRELEASES', ...card });
  const message = slack.store.message('CRELEASES', posted.ts ?? '');
  if (!message) throw new Error('card missing');
  return message;
}

describe('slash commands', () => {
  it('POSTs Slack’s form fields, signed, and registers the trigger and response_url', async () => {
    const ack = await slack.slash('UALICE', 'CRELEASES', '/release', 'start checkout v1.2.3');
    expect(ack).toMatchObject({ status: 200, body: '' });
    const request = lastRequest();
    expect(request.path).toBe('/slack/events');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(signedCorrectly(request)).toBe(true);
    const form = formOf(request);
    expect(Object.keys(form)).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(form).toMatchObject({
      team_id: 'T0RUNWAY1',
      channel_id: 'CRELEASES',
      channel_name: 'releases',
      user_id: 'UALICE',
      user_name: 'alice',
      command: '/release',
      text: 'start checkout v1.2.3',
      api_app_id: 'A0RUNWAY1',
    });
    expect(form.response_url).toMatch(new RegExp(`^${slack.url}/response/R[A-Z0-9]+$`));
    expect(slack.store.interactions.trigger(form.trigger_id ?? '')).toMatchObject({
      user: 'UALICE',
      used: false,
    });
  });

  it('shows the ack body: ephemeral by default, in the channel when asked, plain text as is', async () => {
    nextAck = { body: { text: 'Usage: /release start <version>' } };
    await slack.slash('UALICE', 'CRELEASES', '/release', 'nonsense');
    nextAck = { body: { response_type: 'in_channel', text: 'Release started' } };
    await slack.slash('UALICE', 'CRELEASES', '/release', 'start v1.2.3');
    nextAck = { body: 'plain words' };
    await slack.slash('UALICE', 'CRELEASES', '/release', 'x');
    expect(slack.ephemerals('UALICE').map((e) => e.text)).toEqual([
      'Usage: /release start <version>',
      'plain words',
    ]);
    expect(slack.messages('CRELEASES').map((m) => m.text)).toEqual(['Release started']);
  });

  it('tells the user when the app fails or is too slow, as Slackbot does', async () => {
    nextAck = { status: 500 };
    expect((await slack.slash('UALICE', 'CRELEASES', '/release', 'x')).status).toBe(500);
    nextAck = { delayMs: 800 };
    const slow = await slack.slash('UALICE', 'CRELEASES', '/release', 'x');
    expect(slow).toMatchObject({ status: 0, error: 'operation_timeout' });
    expect(slack.ephemerals('UALICE')).toEqual([
      expect.objectContaining({
        username: 'Slackbot',
        text: '/release failed with the error "http_service_error"',
      }),
      expect.objectContaining({
        username: 'Slackbot',
        text: '/release failed with the error "operation_timeout"',
      }),
    ]);
  });

  it('answers a response_url like Slack: ephemeral, in_channel, at most five times', async () => {
    await slack.slash('UBOB', 'CRELEASES', '/release', 'status');
    const responseUrl = formOf(lastRequest()).response_url ?? '';
    const respond = (body: object) =>
      fetch(responseUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await respond({ text: 'no active releases' })).status).toBe(200);
    expect((await respond({ response_type: 'in_channel', text: 'everyone sees this' })).status).toBe(200);
    expect(slack.ephemerals('UBOB').map((e) => e.text)).toEqual(['no active releases']);
    expect(slack.messages('CRELEASES').map((m) => [m.text, m.user])).toEqual([
      ['everyone sees this', 'UBOT'],
    ]);
    const bad = await respond({ text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) });
    expect([bad.status, await bad.json()]).toEqual([400, { ok: false, error: 'invalid_blocks' }]);
    for (let i = 0; i < 3; i++) await respond({ text: `n${i}` });
    const sixth = await respond({ text: 'too many' });
    expect([sixth.status, await sixth.json()]).toEqual([404, { ok: false, error: 'used_url' }]);
    const unknown = await fetch(`${slack.url}/response/RNOPE`, { method: 'POST', body: '{"text":"x"}' });
    expect(unknown.status).toBe(404);
  });
});

describe('block_actions', () => {
  it('sends a button click with the message, container, state and action as Slack does', async () => {
    const message = await postCard();
    await slack.click('UBOB', message, 'release_approve');
    const request = lastRequest();
    expect(signedCorrectly(request)).toBe(true);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const payload = payloadOf(request);
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'UBOB', username: 'bob', name: 'bob', team_id: 'T0RUNWAY1' },
      api_app_id: 'A0RUNWAY1',
      container: { type: 'message', message_ts: message.ts, channel_id: 'CRELEASES', is_ephemeral: false },
      team: { id: 'T0RUNWAY1', domain: 'runway-sandbox' },
      channel: { id: 'CRELEASES', name: 'releases' },
      message: { ts: message.ts, text: card.text, user: 'UBOT', bot_id: 'B0RUNWAY1', blocks: card.blocks },
      state: { values: { preflight: { preflight_tick: { type: 'checkboxes', selected_options: [] } } } },
      response_url: expect.stringContaining(`${slack.url}/response/`),
      trigger_id: expect.any(String),
      actions: [
        {
          type: 'button',
          action_id: 'release_approve',
          block_id: 'decide',
          value: 'r-1',
          style: 'primary',
          text: { type: 'plain_text', text: 'Approve' },
          action_ts: expect.stringMatching(/^\d{10}\.\d{6}$/),
        },
      ],
    });
  });

  it('sends a checkbox tick with the selected options, in the action and in state', async () => {
    const message = await postCard();
    await slack.tick('UALICE', message, 'preflight_tick', ['backup']);
    const payload = payloadOf(lastRequest());
    const backup = { text: { type: 'plain_text', text: 'Database backup completed' }, value: 'backup' };
    expect(payload.actions).toEqual([
      {
        type: 'checkboxes',
        action_id: 'preflight_tick',
        block_id: 'preflight',
        selected_options: [backup],
        action_ts: expect.any(String),
      },
    ]);
    expect(payload.state).toEqual({
      values: { preflight: { preflight_tick: { type: 'checkboxes', selected_options: [backup] } } },
    });
    await expect(slack.tick('UALICE', message, 'preflight_tick', ['nope'])).rejects.toThrow(
      /no option with value nope/,
    );
  });

  it('lets the app open a modal with the click’s trigger_id, once', async () => {
    const message = await postCard();
    await slack.click('UCAROL', message, 'release_reject');
    const triggerId = String(payloadOf(lastRequest()).trigger_id);
    const view = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Reject' },
      blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Sure?' } }],
    };
    const opened = await client.views.open({ trigger_id: triggerId, view });
    expect(slack.store.views.openModals('UCAROL').map((v) => v.id)).toEqual([opened.view?.id]);
  });

  it('replaces, then deletes, the original message through the response_url', async () => {
    const message = await postCard();
    await slack.click('UBOB', message, 'release_approve');
    const responseUrl = String(payloadOf(lastRequest()).response_url);
    const respond = (body: object) =>
      fetch(responseUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    await respond({ replace_original: true, text: 'Approved by bob' });
    expect(slack.store.message('CRELEASES', message.ts)).toMatchObject({
      text: 'Approved by bob',
      edited: { user: 'UBOT' },
    });
    expect(slack.store.message('CRELEASES', message.ts)?.blocks).toBeUndefined();
    await respond({ delete_original: true });
    expect(slack.messages('CRELEASES')).toEqual([]);
  });

  it('marks clicks on ephemeral messages and leaves the message out, as Slack does', async () => {
    const sent = await client.chat.postEphemeral({ channel: 'CRELEASES', user: 'UALICE', ...card });
    const ephemeral = slack.ephemerals('UALICE')[0];
    if (!ephemeral) throw new Error('no ephemeral');
    expect(ephemeral.ts).toBe(sent.message_ts);
    await slack.click('UALICE', ephemeral, 'release_approve');
    const payload = payloadOf(lastRequest());
    expect(payload.container).toMatchObject({ is_ephemeral: true, message_ts: ephemeral.ts });
    expect(payload.message).toBeUndefined();
    await fetch(String(payload.response_url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'done' }),
    });
    expect(slack.ephemerals('UALICE').map((e) => e.text)).toEqual(['done']);
  });

  it('refuses to click what is not in the message, unless the test forges it', async () => {
    const message = await postCard();
    await expect(slack.click('UBOB', message, 'release_nope')).rejects.toThrow(/no element release_nope/);
    await slack.click('UBOB', message, 'release_nope', 'r-9', {
      element: { type: 'button', text: { type: 'plain_text', text: 'Ghost' } },
    });
    expect(payloadOf(lastRequest()).actions).toEqual([
      expect.objectContaining({ action_id: 'release_nope', value: 'r-9', block_id: 'forged' }),
    ]);
  });
});

describe('view_submission', () => {
  async function openModal(user: string) {
    const opened = await client.views.open({
      trigger_id: slack.store.interactions.issueTrigger(user),
      view: {
        type: 'modal',
        callback_id: 'rollback_reason',
        private_metadata: 'r-1',
        title: { type: 'plain_text', text: 'Roll back' },
        submit: { type: 'plain_text', text: 'Roll back' },
        blocks: [
          {
            type: 'input',
            block_id: 'reason',
            label: { type: 'plain_text', text: 'Why?' },
            element: { type: 'plain_text_input', action_id: 'text' },
          },
          {
            type: 'input',
            block_id: 'target',
            label: { type: 'plain_text', text: 'To' },
            element: {
              type: 'static_select',
              action_id: 'version',
              options: [{ text: { type: 'plain_text', text: 'v1.2.2' }, value: 'v1.2.2' }],
            },
          },
        ],
      },
    });
    return opened.view?.id ?? '';
  }

  it('submits the state values in Slack’s shapes; an empty ack closes the modal', async () => {
    const viewId = await openModal('UBOB');
    await slack.submitView('UBOB', viewId, { reason: { text: 'error rate' }, target: { version: 'v1.2.2' } });
    const payload = payloadOf(lastRequest());
    expect(payload).toMatchObject({
      type: 'view_submission',
      user: { id: 'UBOB' },
      trigger_id: expect.any(String),
      view: {
        id: viewId,
        callback_id: 'rollback_reason',
        private_metadata: 'r-1',
        state: {
          values: {
            reason: { text: { type: 'plain_text_input', value: 'error rate' } },
            target: {
              version: {
                type: 'static_select',
                selected_option: { text: { type: 'plain_text', text: 'v1.2.2' }, value: 'v1.2.2' },
              },
            },
          },
        },
      },
    });
    expect(slack.store.views.openModals('UBOB')).toEqual([]);
  });

  it('keeps the modal open with the errors the app answers', async () => {
    const viewId = await openModal('UBOB');
    nextAck = { body: { response_action: 'errors', errors: { reason: 'Say why' } } };
    await slack.submitView('UBOB', viewId, {});
    expect(slack.store.views.get(viewId)).toMatchObject({ open: true, errors: { reason: 'Say why' } });
    expect(payloadOf(lastRequest()).view).toMatchObject({
      state: { values: { reason: { text: { value: null } } } },
    });
  });
});

describe('events', () => {
  it('sends app_home_opened as a signed JSON event callback', async () => {
    await client.views.publish({ user_id: 'UBOB', view: { type: 'home', blocks: [{ type: 'divider' }] } });
    await slack.openHome('UBOB');
    const request = lastRequest();
    expect(request.headers['content-type']).toBe('application/json');
    expect(signedCorrectly(request)).toBe(true);
    const body = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'event_callback',
      team_id: 'T0RUNWAY1',
      api_app_id: 'A0RUNWAY1',
      event_id: expect.stringMatching(/^Ev[A-Z0-9]+$/),
      event_time: expect.any(Number),
      authorizations: [{ team_id: 'T0RUNWAY1', user_id: 'UBOT', is_bot: true }],
      event: { type: 'app_home_opened', user: 'UBOB', channel: 'DBOB', tab: 'home', view: { type: 'home' } },
    });
  });

  it('marks a redelivery with Slack’s retry headers and the same event id', async () => {
    await slack.sendEvent(
      { type: 'app_home_opened', user: 'UBOB', channel: 'DBOB', tab: 'home' },
      { retryNum: 1, eventId: 'Ev0SAME' },
    );
    const request = lastRequest();
    expect(request.headers['x-slack-retry-num']).toBe('1');
    expect(request.headers['x-slack-retry-reason']).toBe('http_timeout');
    expect(JSON.parse(request.body.toString('utf8'))).toMatchObject({ event_id: 'Ev0SAME' });
  });
});
