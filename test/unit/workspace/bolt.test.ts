// The proof that counts: a real Bolt 5 app (HTTPReceiver: signature check, body parsing, ack) and its
// WebClient run against the workspace, and every surface Runway uses round-trips.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../helpers/fake-slack.ts';
import { postSigned } from '../../helpers/slack-request.ts';

let slack: FakeSlack;
let app: App;
const seen: string[] = [];

beforeEach(async () => {
  seen.length = 0;
  slack = await startFakeSlack();
  app = new App({
    token: slack.botToken,
    signingSecret: slack.signingSecret,
    clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    logLevel: LogLevel.ERROR,
  });
  app.command('/release', async ({ command, ack, say, respond }) => {
    await ack();
    await say({
      text: `Release ${command.text} by <@${command.user_id}>`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${command.text}*` } },
        {
          type: 'actions',
          block_id: 'decide',
          elements: [
            {
              type: 'button',
              action_id: 'release_approve',
              text: { type: 'plain_text', text: 'Approve' },
              value: 'r-1',
            },
            {
              type: 'checkboxes',
              action_id: 'preflight_tick',
              options: [{ text: { type: 'plain_text', text: 'Backup done' }, value: 'backup' }],
            },
          ],
        },
      ],
    });
    await respond({ text: 'Started; the card is in the channel.' });
  });
  app.action('release_approve', async ({ ack, body, client, respond }) => {
    await ack();
    seen.push(`approve by ${body.user.id}`);
    if (body.type !== 'block_actions') return;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'approve_note',
        title: { type: 'plain_text', text: 'Approve' },
        submit: { type: 'plain_text', text: 'Approve' },
        blocks: [
          {
            type: 'input',
            block_id: 'note',
            label: { type: 'plain_text', text: 'Note' },
            element: { type: 'plain_text_input', action_id: 'text' },
          },
        ],
      },
    });
    await respond({ replace_original: true, text: `Approved by <@${body.user.id}>` });
  });
  app.action('preflight_tick', async ({ ack, body }) => {
    await ack();
    if (body.type === 'block_actions' && body.actions[0]?.type === 'checkboxes') {
      seen.push(`ticked ${body.actions[0].selected_options.map((o) => o.value).join(',')}`);
    }
  });
  app.view('approve_note', async ({ ack, view }) => {
    const note = view.state.values.note?.text?.value;
    if (!note) return ack({ response_action: 'errors', errors: { note: 'Say something' } });
    seen.push(`note ${note}`);
    await ack();
  });
  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({
      user_id: event.user,
      view: {
        type: 'home',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Hello <@${event.user}>` } }],
      },
    });
  });
  const server = (await app.start(0)) as Server;
  slack.setAppUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
});

afterEach(async () => {
  await app.stop();
  await slack.close();
});

describe('a Bolt 5 app against the workspace', () => {
  it('acks a command, says in the channel and responds ephemerally', async () => {
    const ack = await slack.slash('UALICE', 'CRELEASES', '/release', 'checkout v1.2.3');
    expect(ack.status).toBe(200);
    const card = await slack.waitForMessage('CRELEASES', 'Release checkout v1.2.3 by <@UALICE>');
    expect(card.bot_id).toBe('B0RUNWAY1');
    await slack.waitForEphemeral('UALICE', 'Started; the card is in the channel.');
  });

  it('routes a button to its listener, opens a modal with the trigger and replaces the card', async () => {
    await slack.slash('UALICE', 'CRELEASES', '/release', 'checkout v1.2.3');
    const card = await slack.waitForMessage('CRELEASES', 'checkout v1.2.3');
    await slack.tick('UALICE', card, 'preflight_tick', ['backup']);
    expect((await slack.click('UBOB', card, 'release_approve')).status).toBe(200);
    await slack.waitForEdit('CRELEASES', card.ts, 'Approved by <@UBOB>');
    const [modal] = await slack.waitFor(() => {
      const open = slack.store.views.openModals('UBOB');
      return open.length > 0 && open;
    }, 'the approve modal');
    expect(seen).toEqual(['ticked backup', 'approve by UBOB']);

    await slack.submitView('UBOB', modal?.id ?? '', { note: { text: '' } });
    expect(slack.store.views.get(modal?.id ?? '')).toMatchObject({
      open: true,
      errors: { note: 'Say something' },
    });
    await slack.submitView('UBOB', modal?.id ?? '', { note: { text: 'LGTM' } });
    expect(slack.store.views.get(modal?.id ?? '')?.open).toBe(false);
    expect(seen).toContain('note LGTM');
  });

  it('publishes the Home tab on app_home_opened', async () => {
    expect((await slack.openHome('UCAROL')).status).toBe(200);
    await slack.waitFor(() => slack.store.views.home('UCAROL'), 'the home tab');
    expect(slack.store.views.home('UCAROL')?.definition.blocks).toEqual([
      expect.objectContaining({ text: { type: 'mrkdwn', text: 'Hello <@UCAROL>' } }),
    ]);
  });

  it('answers 401 to a request signed with another secret', async () => {
    const body = 'command=%2Frelease&text=status&user_id=UALICE&channel_id=CRELEASES';
    const forged = await postSigned(slack.appUrl ?? '', 'wrong-secret', body);
    const stale = await postSigned(slack.appUrl ?? '', slack.signingSecret, body, {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect([forged.status, stale.status]).toEqual([401, 401]);
  });
});
