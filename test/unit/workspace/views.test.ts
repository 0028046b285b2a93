import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import type { View } from '@slack/web-api';
import { expectSlackError, startFakeSlackWithClient, type FakeSlack } from '../../helpers/fake-slack.ts';

let slack: FakeSlack;
let client: WebClient;
beforeEach(async () => ({ slack, client } = await startFakeSlackWithClient()));
afterEach(() => slack.close());

const home = (text: string): View => ({
  type: 'home',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});
type ModalView = Extract<View, { type: 'modal' }>;
const modal = (title = 'Roll back'): ModalView => ({
  type: 'modal',
  callback_id: 'rollback_reason',
  private_metadata: '{"release":"r-1"}',
  title: { type: 'plain_text', text: title },
  submit: { type: 'plain_text', text: 'Roll back' },
  blocks: [
    {
      type: 'input',
      block_id: 'reason',
      label: { type: 'plain_text', text: 'Why?' },
      element: { type: 'plain_text_input', action_id: 'text' },
    },
  ],
});

describe('views.publish', () => {
  it('stores one Home tab per user and returns the view object', async () => {
    const published = await client.views.publish({ user_id: 'UBOB', view: home('No active releases') });
    expect(published.view).toMatchObject({
      id: expect.stringMatching(/^V[A-Z0-9]+$/),
      type: 'home',
      team_id: 'T0RUNWAY1',
      app_id: 'A0RUNWAY1',
      bot_id: 'B0RUNWAY1',
      hash: expect.any(String),
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'No active releases' } }],
    });
    const again = await client.views.publish({ user_id: 'UBOB', view: home('1 active release') });
    expect(again.view?.id).toBe(published.view?.id);
    expect(slack.store.views.home('UBOB')?.definition.blocks).toEqual([
      expect.objectContaining({ text: { type: 'mrkdwn', text: '1 active release' } }),
    ]);
    await expectSlackError(
      client.views.publish({ user_id: 'UBOB', view: home('stale'), hash: published.view?.hash ?? '' }),
      'hash_conflict',
    );
  });

  it('refuses a view that is not a home view, or has more than 100 blocks', async () => {
    await expectSlackError(client.views.publish({ user_id: 'UBOB', view: modal() }), 'invalid_arguments');
    const blocks = Array.from({ length: 101 }, () => ({ type: 'divider' as const }));
    const data = await expectSlackError(
      client.views.publish({ user_id: 'UBOB', view: { type: 'home', blocks } }),
      'invalid_arguments',
    );
    expect(data.response_metadata).toMatchObject({
      messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'],
    });
    await expectSlackError(client.views.publish({ user_id: 'UNOBODY', view: home('x') }), 'user_not_found');
  });
});

describe('views.open, push, update', () => {
  it('answers expired_trigger_id for a trigger Slack never issued', async () => {
    await expectSlackError(
      client.views.open({ trigger_id: '12345.98765.abcd2358fdea', view: modal() }),
      'expired_trigger_id',
    );
    expect(slack.store.views.openModals('UALICE')).toEqual([]);
  });

  it('exchanges a trigger once for a modal shown to the user who acted', async () => {
    const trigger = slack.store.interactions.issueTrigger('UALICE');
    const opened = await client.views.open({ trigger_id: trigger, view: modal() });
    expect(opened.view).toMatchObject({
      type: 'modal',
      callback_id: 'rollback_reason',
      private_metadata: '{"release":"r-1"}',
      title: { type: 'plain_text', text: 'Roll back' },
      state: { values: {} },
      previous_view_id: null,
      root_view_id: opened.view?.id,
    });
    expect(slack.store.views.openModals('UALICE').map((v) => v.id)).toEqual([opened.view?.id]);
    await expectSlackError(client.views.open({ trigger_id: trigger, view: modal() }), 'exchanged_trigger_id');
  });

  it('lets a trigger expire after Slack’s 3 seconds', async () => {
    let now = Date.now();
    await slack.close();
    ({ slack, client } = await startFakeSlackWithClient({ storeOptions: { now: () => now } }));
    const trigger = slack.store.interactions.issueTrigger('UALICE');
    now += 3001;
    await expectSlackError(client.views.open({ trigger_id: trigger, view: modal() }), 'expired_trigger_id');
  });

  it('checks modal limits: a title of at most 24 characters, submit with inputs', async () => {
    const trigger = slack.store.interactions.issueTrigger('UALICE');
    await expectSlackError(
      client.views.open({ trigger_id: trigger, view: modal('x'.repeat(25)) }),
      'invalid_arguments',
    );
    const noSubmit = { ...modal() };
    delete noSubmit.submit;
    await expectSlackError(client.views.open({ trigger_id: trigger, view: noSubmit }), 'invalid_arguments');
  });

  it('pushes on the stack and updates by id or external id, honouring the hash', async () => {
    const opened = await client.views.open({
      trigger_id: slack.store.interactions.issueTrigger('UALICE'),
      view: modal(),
    });
    const pushed = await client.views.push({
      trigger_id: slack.store.interactions.issueTrigger('UALICE'),
      view: modal('Confirm'),
    });
    expect(pushed.view).toMatchObject({ previous_view_id: opened.view?.id, root_view_id: opened.view?.id });

    const updated = await client.views.update({
      view_id: opened.view?.id ?? '',
      view: modal('Rolling back…'),
    });
    expect(updated.view).toMatchObject({ id: opened.view?.id, title: { text: 'Rolling back…' } });
    await expectSlackError(
      client.views.update({
        view_id: opened.view?.id ?? '',
        hash: opened.view?.hash ?? '',
        view: modal('late'),
      }),
      'hash_conflict',
    );
    await expectSlackError(client.views.update({ view_id: 'V0NOPE', view: modal() }), 'not_found');

    const external = await client.views.open({
      trigger_id: slack.store.interactions.issueTrigger('UBOB'),
      view: { ...modal(), external_id: 'release-r-1' },
    });
    const byExternal = await client.views.update({
      external_id: 'release-r-1',
      view: { ...modal('By external id'), external_id: 'release-r-1' },
    });
    expect(byExternal.view?.id).toBe(external.view?.id);
  });
});
