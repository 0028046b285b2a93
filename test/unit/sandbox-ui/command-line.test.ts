// The composer's line: a slash command and its text as Slack would send them, or a message.
import { describe, expect, it } from 'vitest';
import { parseComposerLine } from '../../../src/sandbox/ui/command-line.ts';

describe('parseComposerLine', () => {
  it.each([
    ['/release start shop v1.3.0', { kind: 'command', command: '/release', text: 'start shop v1.3.0' }],
    ['  /release   start shop v1.3.0  ', { kind: 'command', command: '/release', text: 'start shop v1.3.0' }],
    ['/release', { kind: 'command', command: '/release', text: '' }],
    ['/RELEASE help', { kind: 'command', command: '/release', text: 'help' }],
    [
      '/release start shop v1.3.0 Notes "quoted" & <b>',
      { kind: 'command', command: '/release', text: 'start shop v1.3.0 Notes "quoted" & <b>' },
    ],
    [
      '/release start shop v1.3.0 line one\nline two',
      { kind: 'command', command: '/release', text: 'start shop v1.3.0 line one\nline two' },
    ],
    [
      '/incident declare sev2 Checkout errors',
      { kind: 'command', command: '/incident', text: 'declare sev2 Checkout errors' },
    ],
    ['/handoff preview', { kind: 'command', command: '/handoff', text: 'preview' }],
    ['/handoff', { kind: 'command', command: '/handoff', text: '' }],
    ['/deploy now', { kind: 'unknown_command', command: '/deploy' }],
    ['/', { kind: 'unknown_command', command: '/' }],
    ['/releases start', { kind: 'unknown_command', command: '/releases' }],
    ['hello team', { kind: 'message', text: 'hello team' }],
    [' release start shop v1 ', { kind: 'message', text: 'release start shop v1' }],
    ['', { kind: 'empty' }],
    ['   \n ', { kind: 'empty' }],
  ])('%j', (line, expected) => {
    expect(parseComposerLine(line)).toEqual(expected);
  });
});
