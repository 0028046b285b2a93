// The message box: Enter sends (Shift+Enter breaks the line), "/" lists the app's commands, ↑ recalls
// the last line sent. The server decides what a line is (a command or a message) and acts on it.
/* global document */
import { describeFailure, post } from './api.js';

const COMMANDS = [
  {
    name: '/release',
    usage: 'start [service] <version> · status · list · rollback · pause · resume · promote · help',
  },
  { name: '/incident', usage: 'declare <sev1-4> <title…> · update <text…> · resolve [summary…] · list' },
  { name: '/handoff', usage: 'post the shift handoff now · preview' },
];

export function setupComposer({ form, input, menu, target, toast }) {
  const sent = [];
  let recall = -1;

  const drawMenu = () => {
    if (!menu) return;
    const value = input.value;
    const matches = /^\/\S*$/.test(value) ? COMMANDS.filter((c) => c.name.startsWith(value)) : [];
    menu.hidden = matches.length === 0;
    menu.replaceChildren(
      ...matches.map((c) => {
        const item = document.createElement('button');
        item.type = 'button';
        item.className = 'command-item';
        const name = document.createElement('strong');
        name.textContent = c.name;
        const usage = document.createElement('span');
        usage.textContent = c.usage;
        item.append(name, usage);
        item.addEventListener('click', () => {
          input.value = `${c.name} `;
          menu.hidden = true;
          input.focus();
        });
        return item;
      }),
    );
  };

  const grow = () => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  };

  const send = async () => {
    const text = input.value.trim();
    const where = target();
    if (!text || !where.channel || where.channel === 'home') return;
    input.disabled = true;
    const result = await post('/ui/command', { ...where, text });
    input.disabled = false;
    input.focus();
    // An unknown command is answered by Slackbot in the channel; anything else failing is a toast.
    if (result.ok || result.error === 'unknown_command') {
      sent.push(text);
      recall = -1;
      input.value = '';
      grow();
      if (menu) menu.hidden = true;
    } else {
      toast(describeFailure(result));
    }
  };

  input.addEventListener('input', () => {
    drawMenu();
    grow();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    } else if (event.key === 'Tab' && menu && !menu.hidden) {
      event.preventDefault();
      menu.querySelector('button')?.click();
    } else if (event.key === 'ArrowUp' && !input.value && sent.length) {
      event.preventDefault();
      recall = recall < 0 ? sent.length - 1 : Math.max(0, recall - 1);
      input.value = sent[recall];
    } else if (event.key === 'Escape' && menu) {
      menu.hidden = true;
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });
}
