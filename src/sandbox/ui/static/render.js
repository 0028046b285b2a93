// Drawing the open channel (or App Home) and the thread pane from the state. The Home view's HTML is
// what the server rendered (and escaped) from Block Kit.
/* global document, requestAnimationFrame */
import { el } from './dom.js';
import { drawList } from './message-list.js';
import { channelById, channelItems, threadItems } from './state.js';

export function drawChannel(state, { forceBottom = false } = {}) {
  const messages = document.getElementById('messages');
  const home = document.getElementById('home-view');
  const composer = document.getElementById('composer');
  const isHome = state.current === 'home';
  messages.hidden = isHome;
  composer.hidden = isHome;
  home.hidden = !isHome;
  const title = document.getElementById('channel-title');
  const purpose = document.getElementById('channel-purpose');
  if (isHome) {
    title.textContent = 'Runway · Home';
    purpose.textContent = 'The app’s Home tab, as Runway published it for you';
    if (state.home)
      home.innerHTML = state.home.html; // server-rendered
    else home.replaceChildren(el('div', 'empty', 'Opening the Home tab…'));
    return;
  }
  const channel = channelById(state, state.current);
  title.textContent = channel ? `# ${channel.name}` : '';
  // The header shows the topic when one is set (incident channels), as Slack does, else the purpose.
  purpose.textContent = channel?.topic || channel?.purpose || '';
  if (messages.dataset.channel !== state.current) {
    messages.replaceChildren(intro(channel));
    messages.dataset.channel = state.current ?? '';
    forceBottom = true;
  }
  document.getElementById('composer-input').placeholder = channel ? `Message #${channel.name}` : 'Message';
  drawList(state, messages, channelItems(state, state.current), { inThread: false, forceBottom });
}

function intro(channel) {
  const box = el('div', 'intro');
  if (!channel) return box;
  box.append(el('div', 'intro-title', `This is the very beginning of #${channel.name}`));
  if (channel.purpose) box.append(el('div', 'intro-sub', channel.purpose));
  return box;
}

export function drawThread(state, { forceBottom = false } = {}) {
  const pane = document.getElementById('thread-pane');
  const list = document.getElementById('thread-messages');
  if (!state.thread) {
    pane.hidden = true;
    list.replaceChildren();
    delete list.dataset.thread;
    return;
  }
  pane.hidden = false;
  const { channel, ts } = state.thread;
  const key = `${channel}/${ts}`;
  if (list.dataset.thread !== key) {
    list.replaceChildren();
    list.dataset.thread = key;
    forceBottom = true;
  }
  document.getElementById('thread-channel').textContent = `#${channelById(state, channel)?.name ?? channel}`;
  const items = threadItems(state, channel, ts);
  drawList(state, list, items, { inThread: true, forceBottom });
  // The replies divider under the root, as Slack shows it.
  list.querySelector('.thread-divider')?.remove();
  const root = list.querySelector('.msg');
  const count = items.filter((m) => m.ts !== ts && !m.ephemeral).length;
  if (root && count > 0)
    root.after(el('div', 'thread-divider', `${count} ${count === 1 ? 'reply' : 'replies'}`));
  // The divider (and the pane being shown) change the height after drawList scrolled: a thread opens
  // on its last reply, whole.
  if (forceBottom) scrollToEnd(list);
}

/** To the bottom now and once the browser has laid the pane out. */
function scrollToEnd(container) {
  container.scrollTop = container.scrollHeight;
  requestAnimationFrame(() => (container.scrollTop = container.scrollHeight));
}
