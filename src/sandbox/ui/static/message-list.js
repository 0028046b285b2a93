// A list of messages (a channel or a thread), redrawn by key so unchanged messages keep their nodes.
// Names and labels go in with textContent; the only HTML set with innerHTML is what the server
// rendered (and escaped) from Block Kit and mrkdwn.
import { avatar, el, timeOf } from './dom.js';

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
export function drawList(state, container, items, opts) {
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
