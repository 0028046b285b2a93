// The page server on a real workspace server, with a bare app that records what it is sent: the page
// and its files, the snapshot, the live feed, and each "a person acts" endpoint with its validation.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWorkspaceServer, type WorkspaceServer } from '../../../src/sandbox/workspace/server.ts';
import { createSandboxPage } from '../../../src/sandbox/ui/page-server.ts';
import { startServer, type TestServer } from '../../helpers/http-server.ts';

let workspace: WorkspaceServer;
let app: TestServer;
let ack: { status: number; body: string } = { status: 200, body: '' };
let demo = { stable: 'v1.2.0', canary: null as string | null, weight: 0 };

beforeAll(async () => {
  app = await startServer((_req, res) => {
    res.writeHead(ack.status, { 'Content-Type': 'application/json' });
    res.end(ack.body);
  });
  workspace = await startWorkspaceServer({
    botToken: 'xoxb-test',
    signingSecret: 'secret',
    appUrl: `${app.url}/slack/events`,
    fallback: createSandboxPage({
      workspace: () => workspace,
      demo: () => ({ url: 'http://demo', state: () => demo }),
    }),
  });
});
afterAll(async () => {
  await workspace.close();
  await app.close();
});
afterEach(() => {
  ack = { status: 200, body: '' };
  app.requests.length = 0;
});

const post = (
  path: string,
  body: unknown,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
) =>
  fetch(`${workspace.url}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** The app's last request, as the form Slack sends (payload JSON for interactivity). */
function lastForm(): URLSearchParams {
  const request = app.requests.at(-1);
  if (!request) throw new Error('the app got nothing');
  return new URLSearchParams(request.body.toString('utf8'));
}

describe('the page and its files', () => {
  it('serves the page, its static files and permalinks; 404 for the rest', async () => {
    const page = await fetch(`${workspace.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script type="module" src="/static/app.js">');
    const js = await fetch(`${workspace.url}/static/app.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`${workspace.url}/static/app.css`)).status).toBe(200);
    expect((await fetch(`${workspace.url}/archives/CRELEASES/p1732350000000100`)).status).toBe(200);
    expect((await fetch(`${workspace.url}/static/../page-server.ts`)).status).toBe(404);
    expect((await fetch(`${workspace.url}/static/nope.js`)).status).toBe(404);
    // Emoji images come from the bundled data set, nothing else under /emoji/.
    const emoji = await fetch(`${workspace.url}/emoji/2705.png`);
    expect(emoji.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await emoji.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    for (const bad of ['ffffff.png', '..%2Femoji.json', '2705.svg', '2705.png%00'])
      expect((await fetch(`${workspace.url}/emoji/${bad}`)).status).toBe(404);
    // The workspace's own routes are still its own.
    expect((await fetch(`${workspace.url}/api/auth.test`, { method: 'POST' })).status).toBe(200);
  });
});

describe('GET /ui/state', () => {
  it('is one person’s view: channels, messages with threads, their ephemerals, the demo split', async () => {
    const store = workspace.store;
    const root = store.postMessage({
      channel: 'CRELEASES',
      user: 'UBOT',
      text: 'card',
      blocks: [{ type: 'header', block_id: 'h', text: { type: 'plain_text', text: 'shop v1.3.0' } }],
    });
    store.postMessage({ channel: 'CRELEASES', user: 'UBOT', text: 'reply *one*', thread_ts: root.ts });
    store.postEphemeral({ channel: 'CRELEASES', user: 'UBOB', text: 'for bob only' });
    store.createChannel({ name: 'secret', is_private: true, creator: 'UCAROL' });
    demo = { stable: 'v1.2.0', canary: 'v1.3.0', weight: 10 };

    const bob = await (await fetch(`${workspace.url}/ui/state?user=UBOB`)).json();
    expect(bob.me).toBe('UBOB');
    expect(bob.channels.map((c: { name: string }) => c.name)).toEqual(['releases', 'on-call', 'incidents']);
    const messages = bob.messages.CRELEASES;
    expect(messages.map((m: { text: string }) => m.text)).toEqual(['card', 'reply *one*']);
    expect(messages[0]).toMatchObject({ replyCount: 1, userName: 'Runway', isBot: true });
    expect(messages[0].html).toContain('class="bk bk-header"');
    expect(messages[1]).toMatchObject({
      threadTs: root.ts,
      html: '<div class="mk">reply <strong>one</strong></div>',
    });
    expect(bob.ephemerals.map((e: { text: string }) => e.text)).toEqual(['for bob only']);
    expect(bob.demo).toEqual({ stable: 'v1.2.0', canary: 'v1.3.0', weight: 10 });

    const alice = await (await fetch(`${workspace.url}/ui/state?user=alice`)).json();
    expect(alice.me).toBe('UALICE');
    expect(alice.ephemerals).toEqual([]);
    const carol = await (await fetch(`${workspace.url}/ui/state?user=UCAROL`)).json();
    expect(carol.channels.map((c: { name: string }) => c.name)).toContain('secret');
    expect((await fetch(`${workspace.url}/ui/state?user=UNOBODY`)).status).toBe(400);
    expect((await fetch(`${workspace.url}/ui/state?user=UBOT`)).status).toBe(400);
  });
});

describe('GET /ui/events', () => {
  it('starts with a snapshot, then streams what this person may see', async () => {
    const controller = new AbortController();
    const response = await fetch(`${workspace.url}/ui/events?user=UALICE`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const next = async (): Promise<{ type: string; [key: string]: unknown }> => {
      for (;;) {
        const match = /data: (.*)\n\n/.exec(buffer);
        if (match) {
          buffer = buffer.slice((match.index ?? 0) + match[0].length);
          return JSON.parse(match[1]!);
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    try {
      expect((await next()).type).toBe('snapshot');
      const store = workspace.store;
      store.postEphemeral({ channel: 'CRELEASES', user: 'UBOB', text: 'not for alice' });
      store.postEphemeral({ channel: 'CRELEASES', user: 'UALICE', text: 'for alice' });
      expect(await next()).toMatchObject({
        type: 'ephemeral',
        message: { text: 'for alice', ephemeral: true },
      });
      const posted = store.postMessage({ channel: 'CONCALL', user: 'UBOT', text: 'handoff' });
      expect(await next()).toMatchObject({ type: 'message', message: { ts: posted.ts, text: 'handoff' } });
      store.updateMessage('CONCALL', posted.ts, { text: 'handoff v2' }, 'UBOT');
      expect(await next()).toMatchObject({ type: 'message', message: { text: 'handoff v2', edited: true } });
      store.createChannel({ name: 'inc-20261123-shop', creator: 'UBOT', members: ['UBOB'] });
      const channels = await next();
      expect(channels.type).toBe('channels');
      expect(JSON.stringify(channels)).toContain('inc-20261123-shop');
      demo = { stable: 'v1.3.0', canary: null, weight: 0 };
      let event = await next();
      while (event.type !== 'demo') event = await next();
      expect(event).toEqual({ type: 'demo', demo: { stable: 'v1.3.0', canary: null, weight: 0 } });
    } finally {
      controller.abort();
    }
  });
});

describe('POST /ui/* (a person acts)', () => {
  it('/ui/command sends the slash command, signed, as that person in that channel', async () => {
    ack = { status: 200, body: JSON.stringify({ text: 'Release opened' }) };
    const answer = await post('/ui/command', {
      user: 'UALICE',
      channel: 'CRELEASES',
      text: '/release start shop v1.3.0',
    });
    expect(await answer.json()).toMatchObject({ ok: true, appStatus: 200 });
    const form = lastForm();
    expect(form.get('command')).toBe('/release');
    expect(form.get('text')).toBe('start shop v1.3.0');
    expect(form.get('user_id')).toBe('UALICE');
    expect(form.get('channel_id')).toBe('CRELEASES');
    expect(app.requests.at(-1)!.headers['x-slack-signature']).toMatch(/^v0=/);
    expect(workspace.store.ephemerals('UALICE').at(-1)?.text).toBe('Release opened');
  });

  it('/ui/command: an unknown command gets Slackbot’s notice; a plain line is a message', async () => {
    const unknown = await post('/ui/command', { user: 'UBOB', channel: 'CRELEASES', text: '/deploy now' });
    expect(await unknown.json()).toEqual({ ok: false, error: 'unknown_command' });
    expect(app.requests).toHaveLength(0);
    expect(workspace.store.ephemerals('UBOB').at(-1)).toMatchObject({ username: 'Slackbot' });
    const said = await (
      await post('/ui/command', { user: 'UBOB', channel: 'CONCALL', text: 'on it <3' })
    ).json();
    expect(workspace.store.message('CONCALL', said.ts)).toMatchObject({ user: 'UBOB', text: 'on it &lt;3' });
  });

  it('/ui/click and /ui/tick send block_actions for the element on that message', async () => {
    const card = workspace.store.postMessage({
      channel: 'CRELEASES',
      user: 'UBOT',
      text: 'card',
      blocks: [
        {
          type: 'actions',
          block_id: 'card-actions',
          elements: [
            {
              type: 'button',
              action_id: 'release_approve',
              value: 'r-1',
              text: { type: 'plain_text', text: 'Approve' },
            },
          ],
        },
        {
          type: 'actions',
          block_id: 'ticks',
          elements: [
            {
              type: 'checkboxes',
              action_id: 'preflight_tick',
              options: [{ text: { type: 'plain_text', text: 'Backup' }, value: 'backup' }],
            },
          ],
        },
      ],
    });
    const click = await post('/ui/click', {
      user: 'UBOB',
      channel: 'CRELEASES',
      ts: card.ts,
      actionId: 'release_approve',
      value: 'r-1',
      blockId: 'card-actions',
    });
    expect(await click.json()).toMatchObject({ ok: true });
    const payload = JSON.parse(lastForm().get('payload')!);
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'UBOB' },
      actions: [{ action_id: 'release_approve', value: 'r-1', block_id: 'card-actions' }],
    });

    await post('/ui/tick', {
      user: 'UALICE',
      channel: 'CRELEASES',
      ts: card.ts,
      actionId: 'preflight_tick',
      values: ['backup'],
    });
    const tick = JSON.parse(lastForm().get('payload')!);
    expect(tick.actions[0]).toMatchObject({ type: 'checkboxes', selected_options: [{ value: 'backup' }] });

    const gone = await post('/ui/click', {
      user: 'UBOB',
      channel: 'CRELEASES',
      ts: card.ts,
      actionId: 'nope',
    });
    expect(gone.status).toBe(409);
    expect(await gone.json()).toMatchObject({ ok: false, error: 'not_possible' });
  });

  it('/ui/submit sends view_submission; errors keep the modal open; /ui/close closes it', async () => {
    const view = workspace.store.views.open('UCAROL', {
      type: 'modal',
      callback_id: 'incident_update_modal',
      title: { type: 'plain_text', text: 'Post update' },
      submit: { type: 'plain_text', text: 'Post' },
      blocks: [
        {
          type: 'input',
          block_id: 'incident-update',
          label: { type: 'plain_text', text: 'What changed?' },
          element: { type: 'plain_text_input', action_id: 'text' },
        },
      ],
    });
    if (typeof view === 'string') throw new Error(view);
    ack = {
      status: 200,
      body: JSON.stringify({ response_action: 'errors', errors: { 'incident-update': 'Say more' } }),
    };
    const refused = await (
      await post('/ui/submit', {
        user: 'UCAROL',
        viewId: view.id,
        values: { 'incident-update': { text: 'x' } },
      })
    ).json();
    expect(refused).toMatchObject({ ok: true, open: true, errors: { 'incident-update': 'Say more' } });
    const payload = JSON.parse(lastForm().get('payload')!);
    expect(payload.view.state.values['incident-update'].text).toEqual({
      type: 'plain_text_input',
      value: 'x',
    });

    const notHers = await post('/ui/close', { user: 'UBOB', viewId: view.id });
    expect(notHers.status).toBe(404);
    expect(await (await post('/ui/close', { user: 'UCAROL', viewId: view.id })).json()).toEqual({ ok: true });
    expect(workspace.store.views.get(view.id)?.open).toBe(false);
  });

  it('/ui/home opens the Home tab (app_home_opened)', async () => {
    expect(await (await post('/ui/home', { user: 'UBOB' })).json()).toMatchObject({ ok: true });
    expect(JSON.parse(app.requests.at(-1)!.body.toString('utf8')).event).toMatchObject({
      type: 'app_home_opened',
      user: 'UBOB',
    });
  });

  it('says Slack’s words when the app does not ack', async () => {
    ack = { status: 500, body: '' };
    const answer = await (
      await post('/ui/command', { user: 'UALICE', channel: 'CRELEASES', text: '/release status' })
    ).json();
    expect(answer).toMatchObject({ ok: false, appStatus: 500 });
    expect(workspace.store.ephemerals('UALICE').at(-1)?.text).toBe(
      '/release failed with the error "http_service_error"',
    );
  });

  it.each([
    ['/ui/command', { user: 'UALICE', channel: 'CRELEASES' }, 400, 'invalid_body'],
    ['/ui/command', { user: 'UALICE', channel: 'nope', text: '/release' }, 400, 'invalid_body'],
    ['/ui/command', { user: 'UZED', channel: 'CRELEASES', text: '/release' }, 400, 'unknown_user'],
    ['/ui/command', { user: 'UBOT', channel: 'CRELEASES', text: '/release' }, 400, 'unknown_user'],
    ['/ui/command', { user: 'UALICE', channel: 'CNOPE', text: '/release' }, 404, 'channel_not_found'],
    ['/ui/click', { user: 'UALICE', channel: 'CRELEASES', ts: 'x', actionId: 'a' }, 400, 'invalid_body'],
    [
      '/ui/tick',
      { user: 'UALICE', channel: 'CRELEASES', ts: '1.1', actionId: 'a', values: 'backup' },
      400,
      'invalid_body',
    ],
    ['/ui/submit', { user: 'UALICE', viewId: 'V1', values: {} }, 400, 'invalid_body'],
    ['/ui/submit', { user: 'UALICE', viewId: 'VNOPE123', values: {} }, 409, 'not_possible'],
    ['/ui/teleport', { user: 'UALICE' }, 404, 'not_found'],
  ])('%s %j → %i %s', async (path, body, status, error) => {
    const answer = await post(path, body);
    expect(answer.status).toBe(status);
    expect(await answer.json()).toMatchObject({ ok: false, error });
    expect(app.requests).toHaveLength(0);
  });

  it('refuses what another site could post: no JSON content type, a foreign Origin, bad JSON, a huge body', async () => {
    const body = { user: 'UALICE', channel: 'CRELEASES', text: '/release help' };
    expect((await post('/ui/command', body, { 'Content-Type': 'text/plain' })).status).toBe(403);
    expect(
      (
        await post('/ui/command', body, {
          'Content-Type': 'application/json',
          Origin: 'https://evil.example',
        })
      ).status,
    ).toBe(403);
    expect((await post('/ui/command', '{nope')).status).toBe(400);
    expect((await post('/ui/command', { ...body, pad: 'x'.repeat(70_000) })).status).toBe(413);
    expect(app.requests).toHaveLength(0);
  });
});
