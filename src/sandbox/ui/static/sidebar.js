// The top bar's user switcher and the sidebar's channel list.
/* global document, CSS */
import { avatar, el } from './dom.js';

const ROLES = { alice: 'requests', bob: 'approves', carol: 'approves' };

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
