// Drawing the page from the state. Names, times and labels go in with textContent; the only HTML set
// with innerHTML is what the server rendered (and escaped) from Block Kit and mrkdwn.
/* global document, CSS, requestAnimationFrame */
import { channelById, channelItems, threadItems } from './state.js';

const PALETTE = ['#e8912d', '#2eb67d', '#36c5f0', '#e01e5a', '#9b59b6', '#1264a3', '#c9861a'];
const ROLES = { alice: 'requests', bob: 'approves', carol: 'approves' };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function colorFor(id) {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

export function avatar(user, size = '') {
  const node = el('span', `avatar ${size}`.trim());
  if (user.id === 'USLACKBOT') {
    node.textContent = 'S';
    node.style.background = '#2eb6a4';
  } else if (user.isBot) {
    // The app's icon is a file, not an emoji: it shows the same on machines without emoji fonts.
    const icon = el('img', 'avatar-img');
    icon.src = '/static/favicon.svg';
    icon.alt = '';
    node.append(icon);
  } else {
    node.textContent = (user.name ?? '?').charAt(0).toUpperCase();
    node.style.background = colorFor(user.id);
  }
  return node;
}

const timeOf = (ts, options = {}) =>
  new Date(Number(ts.split('.')[0]) * 1000).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    ...options,
  });

// ---- top bar and sidebar -----------------------------------------------------------------------

export function drawSwitcher(state) {
  const box = document.getElementById('user-switcher');
  box.replaceChildren(
    ...state.users
      .filter((u) => !u.isBot)
      .map((u) => {
        const b = el('button', 'who');
        b.type = 'button';
        b.dataset.switchUser = u.id;
        b.setAttribute('aria-pressed', String(u.id === state.me));
        b.title = `${u.realName}${ROLES[u.name] ? ` — ${ROLES[u.name]}` : ''}`;
        b.append(avatar({ id: u.id, name: u.name }, 'avatar-sm'), el('span', 'who-name', u.name));
        if (ROLES[u.name]) b.append(el('span', 'who-role', ROLES[u.name]));
        return b;
      }),
  );
  document.getElementById('team-name').textContent = state.team || 'Runway Sandbox';
  // Mentions of whoever is acting stand out, as in Slack.
  let style = document.getElementById('me-style');
  if (!style) {
    style = el('style');
    style.id = 'me-style';
    document.head.append(style);
  }
  style.textContent = state.me
    ? `.mk-mention[data-user="${CSS.escape(state.me)}"]{background:#fff3c4;color:#8a5a00}`
    : '';
}

export function drawSidebar(state) {
  const list = document.getElementById('channel-list');
  const channels = [...state.channels].sort((a, b) => a.name.localeCompare(b.name));
  list.replaceChildren(
    ...channels.map((c) => {
      const li = el('li');
      const a = el('a', 'channel-link');
      a.href = '#';
      a.dataset.channel = c.id;
      if (c.id === state.current) a.classList.add('active');
      if (state.unread.has(c.id)) a.classList.add('unread');
      if (!c.isMember) a.classList.add('not-member');
      a.append(el('span', 'hash', c.isPrivate ? '🔒' : '#'), el('span', 'channel-name', c.name));
      li.append(a);
      return li;
    }),
  );
  document.getElementById('home-link').classList.toggle('active', state.current === 'home');
}

export function drawDemo(state) {
  const panel = document.getElementById('demo-panel');
  const d = state.demo;
  panel.replaceChildren();
  if (!d) return;
  const canaryWeight = d.canary ? d.weight : 0;
  const head = el('div', 'side-title', 'Demo service · traffic');
  const bar = el('div', 'split');
  const stable = el('div', 'split-stable');
  stable.style.width = `${100 - canaryWeight}%`;
  const canary = el('div', `split-canary${d.canary && /bad/.test(d.canary) ? ' split-bad' : ''}`);
  canary.style.width = `${canaryWeight}%`;
  bar.append(stable, canary);
  const legend = el('div', 'split-legend');
  const row = (cls, label, version, pct) => {
    const r = el('div', 'split-row');
    r.append(
      el('span', `dot ${cls}`),
      el('span', 'split-label', label),
      el('span', 'split-version', version),
      el('span', 'split-pct', `${pct}%`),
    );
    return r;
  };
  legend.append(row('dot-stable', 'stable', d.stable, 100 - canaryWeight));
  if (d.canary)
    legend.append(row(/bad/.test(d.canary) ? 'dot-bad' : 'dot-canary', 'canary', d.canary, canaryWeight));
  panel.append(head, bar, legend);
}

// ---- messages ------------------------------------------------------------------------------------

/** Consecutive messages by one author within 5 minutes share a header, as in Slack. */
function compactAfter(prev, m) {
  if (!prev || prev.user !== m.user || prev.ephemeral || m.ephemeral) return false;
  return Number(m.ts) - Number(prev.ts) < 300 && prev.replyCount === 0;
}

function messageNode(state, m, { compact, inThread }) {
  const node = el('div', 'msg');
  node.dataset.channel = m.channel;
  node.dataset.ts = m.ts;
  if (m.ephemeral) node.classList.add('msg-ephemeral');
  if (compact) node.classList.add('msg-compact');
  const gutter = el('div', 'msg-gutter');
  if (compact) gutter.append(el('time', 'msg-time-hover', timeOf(m.ts, { hour12: false })));
  else gutter.append(avatar({ id: m.user, name: m.userName, isBot: m.isBot }));
  const body = el('div', 'msg-body');
  if (m.ephemeral) body.append(el('div', 'msg-only-you', 'Only visible to you'));
  if (!compact) {
    const meta = el('div', 'msg-meta');
    meta.append(el('span', 'msg-author', m.userName));
    if (m.isBot && m.user !== 'USLACKBOT') meta.append(el('span', 'msg-app', 'APP'));
    meta.append(el('time', 'msg-time', timeOf(m.ts)));
    body.append(meta);
  }
  const content = el('div', 'msg-content');
  content.innerHTML = m.html; // rendered and escaped by the server
  body.append(content);
  if (m.edited) body.append(el('span', 'msg-edited', '(edited)'));
  for (const f of m.files ?? []) {
    const a = el('a', 'msg-file');
    a.href = f.url;
    a.target = '_blank';
    a.rel = 'noopener';
    if (String(f.mimetype).startsWith('image/')) {
      // Images show inline, as in Slack (canary charts).
      const img = el('img', 'msg-file-image');
      img.src = f.url;
      img.alt = f.title || f.name;
      a.className = 'msg-file msg-file-inline';
      a.append(img);
      body.append(a);
      continue;
    }
    a.append(
      el('span', 'msg-file-icon', '📄'),
      el('span', '', f.title || f.name),
      el('small', '', ` ${Math.ceil(f.size / 1024)} KB`),
    );
    body.append(a);
  }
  if (m.broadcast && !inThread) body.append(el('div', 'msg-broadcast', 'replied to a thread'));
  if (!inThread && m.replyCount > 0) {
    const link = el('button', 'msg-replies');
    link.type = 'button';
    link.dataset.openThread = m.ts;
    const faces = el('span', 'reply-faces');
    for (const id of m.replyUsers.slice(0, 3)) {
      const u = state.users.find((x) => x.id === id) ?? { id, name: id };
      faces.append(avatar(u, 'avatar-xs'));
    }
    link.append(
      faces,
      el('span', 'reply-count', `${m.replyCount} ${m.replyCount === 1 ? 'reply' : 'replies'}`),
      el('span', 'reply-view', 'View thread'),
    );
    body.append(link);
  }
  node.append(gutter, body);
  return node;
}

/** Keyed redraw: unchanged messages keep their nodes (and the reader's scroll and focus). */
function drawList(state, container, items, opts) {
  const nearBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 80;
  const old = new Map([...container.querySelectorAll(':scope > .msg')].map((n) => [n.dataset.key, n]));
  const intro = container.querySelector(':scope > .intro');
  let at = intro ? intro.nextSibling : container.firstChild;
  items.forEach((m, i) => {
    const compact = compactAfter(items[i - 1], m);
    const key = `${m.ephemeral ? 'e' : 'm'}${m.ts}`;
    const sig = JSON.stringify([m.html, m.edited, m.replyCount, m.replyUsers, compact, m.files?.length ?? 0]);
    let node = old.get(key);
    old.delete(key);
    if (!node || node.dataset.sig !== sig) {
      const fresh = messageNode(state, m, { ...opts, compact });
      fresh.dataset.key = key;
      fresh.dataset.sig = sig;
      if (node) {
        if (at === node) at = fresh;
        node.replaceWith(fresh);
      }
      node = fresh;
    }
    if (node !== at) container.insertBefore(node, at);
    at = node.nextSibling;
  });
  for (const n of old.values()) n.remove();
  if (nearBottom || opts.forceBottom) container.scrollTop = container.scrollHeight;
  stickWhileImagesLoad(container, nearBottom || opts.forceBottom);
}

/**
 * Images (emoji, charts) grow the list when they load, after it was scrolled: a reader who was at
 * the bottom stays there. Scrolling up by hand lets go.
 */
function stickWhileImagesLoad(container, atBottom) {
  container.dataset.stick = atBottom ? '1' : '0';
  if (!container.dataset.stickWatch) {
    container.dataset.stickWatch = '1';
    container.addEventListener('scroll', () => {
      const gap = container.scrollHeight - container.scrollTop - container.clientHeight;
      container.dataset.stick = gap < 80 ? '1' : '0';
    });
  }
  for (const img of container.querySelectorAll('img')) {
    if (img.complete || img.dataset.stickWatch) continue;
    img.dataset.stickWatch = '1';
    img.addEventListener('load', () => {
      if (container.dataset.stick === '1') container.scrollTop = container.scrollHeight;
    });
  }
}

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
