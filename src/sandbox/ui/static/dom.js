// The page's small DOM helpers: an element with its text (always textContent, never HTML), avatars
// and message times.
/* global document */

const PALETTE = ['#e8912d', '#2eb67d', '#36c5f0', '#e01e5a', '#9b59b6', '#1264a3', '#c9861a'];

export function el(tag, className, text) {
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

export const timeOf = (ts, options = {}) =>
  new Date(Number(ts.split('.')[0]) * 1000).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    ...options,
  });
