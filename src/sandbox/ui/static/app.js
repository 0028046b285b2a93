// The sandbox page: connects to the live feed as the chosen person, draws what changes, and turns
// clicks, ticks, modal submissions and composer lines into the server's "a person acts" calls.
/* global document, window, location, history, EventSource, CSS, Element */
import { describeFailure, post } from './api.js';
import { confirmDialog, drawModal, modalValues, showErrors } from './dialogs.js';
import { drawChannel, drawDemo, drawSidebar, drawSwitcher, drawThread } from './render.js';
import { applyEvent, channelById, createState } from './state.js';
import { setupComposer } from './composer.js';

const state = createState();
const saved = (key) => localStorage.getItem(`runway-sandbox:${key}`);
const save = (key, value) => localStorage.setItem(`runway-sandbox:${key}`, value);
const params = new URLSearchParams(location.search);
let source = null;
/** A permalink the page was opened with (/archives/C…/p…), shown once the data is there. */
let pendingJump = parsePermalink(location.pathname, params);

function parsePermalink(path, query) {
  const found = /^\/archives\/([CDG][A-Z0-9]+)\/p(\d{10})(\d{6})$/.exec(path);
  if (!found) return null;
  return { channel: found[1], ts: `${found[2]}.${found[3]}`, thread: query.get('thread_ts') };
}

export function toast(text, kind = 'error') {
  const box = document.getElementById('toasts');
  const node = document.createElement('div');
  node.className = `toast toast-${kind}`;
  node.textContent = text;
  box.append(node);
  setTimeout(() => node.remove(), 6000);
}

function drawAll() {
  drawSwitcher(state);
  drawSidebar(state);
  drawChannel(state);
  drawThread(state);
  drawDemo(state);
  drawModal(state);
}

function connect() {
  source?.close();
  const status = document.getElementById('connection');
  source = new EventSource(`/ui/events?user=${encodeURIComponent(state.me ?? '')}`);
  source.onopen = () => (status.hidden = true);
  source.onerror = () => {
    status.hidden = false;
    // A remembered person this workspace does not know (another seed): start over as alice.
    if (!state.users.length && state.me !== 'UALICE') {
      state.me = 'UALICE';
      connect();
    }
  };
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    const changed = applyEvent(state, event);
    if (changed.all) {
      save('user', state.me);
      // Marks whose snapshot is on screen (tests wait for it after switching person).
      document.body.dataset.me = state.me;
      drawAll();
      if (pendingJump) {
        jumpTo(pendingJump);
        pendingJump = null;
      }
      return;
    }
    if (changed.sidebar) drawSidebar(state);
    if (changed.channel && changed.channel === state.current) drawChannel(state);
    if (state.thread && changed.channel === state.thread.channel) drawThread(state);
    if (changed.views) drawModal(state);
    if (changed.demo) drawDemo(state);
    if (changed.home && state.current === 'home') drawChannel(state);
  };
}

function openChannel(id) {
  state.current = id;
  state.unread.delete(id);
  if (id !== 'home') save('channel', id);
  // A thread belongs to its channel: it closes when another one opens.
  if (state.thread && state.thread.channel !== id) {
    state.thread = null;
    drawThread(state);
  }
  drawSidebar(state);
  drawChannel(state, { forceBottom: true });
}

function openThread(channel, ts) {
  state.thread = { channel, ts };
  drawThread(state, { forceBottom: true });
  document.getElementById('thread-input').focus();
}

function jumpTo({ channel, ts, thread }) {
  if (!channelById(state, channel)) return toast('That message is in a channel you cannot see.');
  openChannel(channel);
  if (thread) openThread(channel, thread);
  history.replaceState(null, '', '/');
  const node = document.querySelector(`.msg[data-ts="${CSS.escape(thread ?? ts)}"]`);
  node?.scrollIntoView({ block: 'center' });
  node?.classList.add('msg-flash');
}

function switchUser(id) {
  if (id === state.me) return;
  state.me = id;
  state.unread.clear();
  drawSwitcher(state);
  connect();
}

// ---- a person acts ----------------------------------------------------------------------------

async function clickButton(button) {
  const msg = button.closest('.msg');
  if (!msg || button.disabled) return;
  if (button.dataset.confirm && !(await confirmDialog(JSON.parse(button.dataset.confirm)))) return;
  button.disabled = true;
  button.classList.add('busy');
  const result = await post('/ui/click', {
    user: state.me,
    channel: msg.dataset.channel,
    ts: msg.dataset.ts,
    actionId: button.dataset.actionId,
    ...(button.dataset.value !== undefined ? { value: button.dataset.value } : {}),
    ...(button.dataset.blockId ? { blockId: button.dataset.blockId } : {}),
  });
  // The card is usually redrawn by then; if not, the button comes back.
  button.disabled = false;
  button.classList.remove('busy');
  if (!result.ok) toast(describeFailure(result));
}

async function tickBox(group) {
  const msg = group.closest('.msg');
  const values = [...group.querySelectorAll('input:checked')].map((i) => i.value);
  const result = await post('/ui/tick', {
    user: state.me,
    channel: msg.dataset.channel,
    ts: msg.dataset.ts,
    actionId: group.dataset.actionId,
    values,
    ...(group.dataset.blockId ? { blockId: group.dataset.blockId } : {}),
  });
  if (!result.ok) toast(describeFailure(result));
}

async function submitModal(event) {
  event.preventDefault();
  const dialog = document.getElementById('modal-dialog');
  const submit = document.getElementById('modal-submit');
  submit.disabled = true;
  const result = await post('/ui/submit', {
    user: state.me,
    viewId: dialog.dataset.viewId,
    values: modalValues(),
  });
  submit.disabled = false;
  if (result.open) showErrors(result.errors ?? {});
  else if (!result.ok) toast(describeFailure(result));
}

async function closeModal() {
  const dialog = document.getElementById('modal-dialog');
  const viewId = dialog.dataset.viewId;
  if (viewId) await post('/ui/close', { user: state.me, viewId });
  state.views = state.views.filter((v) => v.id !== viewId);
  drawModal(state);
}

async function openHome() {
  openChannel('home');
  const result = await post('/ui/home', { user: state.me });
  if (!result.ok) toast(describeFailure(result));
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const button = target.closest('button[data-kind="button"]');
  if (button) return void clickButton(button);
  const jump = target.closest('a[data-jump-channel]');
  if (jump) {
    event.preventDefault();
    return jumpTo({
      channel: jump.dataset.jumpChannel,
      ts: jump.dataset.jumpTs,
      thread: jump.dataset.jumpThread,
    });
  }
  const channel = target.closest('[data-channel]:is(a.channel-link, a.mk-channel)');
  if (channel) {
    event.preventDefault();
    return openChannel(channel.dataset.channel);
  }
  const thread = target.closest('[data-open-thread]');
  if (thread) return openThread(thread.closest('.msg').dataset.channel, thread.dataset.openThread);
  const who = target.closest('[data-switch-user]');
  if (who) return switchUser(who.dataset.switchUser);
  if (target.closest('#home-link')) {
    event.preventDefault();
    return void openHome();
  }
  if (target.closest('#thread-close')) {
    state.thread = null;
    drawThread(state);
  }
});

document.addEventListener('change', (event) => {
  const group = event.target instanceof Element ? event.target.closest('[data-kind="checkboxes"]') : null;
  if (group) void tickBox(group);
});

document.getElementById('modal-form').addEventListener('submit', submitModal);
document.getElementById('modal-close').addEventListener('click', () => void closeModal());
document.getElementById('modal-x').addEventListener('click', () => void closeModal());
document.getElementById('modal-dialog').addEventListener('cancel', (event) => {
  event.preventDefault();
  void closeModal();
});

setupComposer({
  form: document.getElementById('composer'),
  input: document.getElementById('composer-input'),
  menu: document.getElementById('command-menu'),
  target: () => ({ user: state.me, channel: state.current }),
  toast,
});
setupComposer({
  form: document.getElementById('thread-composer'),
  input: document.getElementById('thread-input'),
  menu: null,
  target: () => ({ user: state.me, channel: state.thread?.channel, threadTs: state.thread?.ts }),
  toast,
});

// Who acts: ?as=bob, else the last person chosen, else whoever the server picks (alice).
state.me = params.get('as') ?? saved('user') ?? 'UALICE';
state.current = saved('channel');
if (params.get('as')) history.replaceState(null, '', location.pathname);
connect();
window.runwaySandbox = { state };
