import { describe, expect, it } from 'vitest';
import { MAX_TITLE, MAX_UPDATE, parseIncidentCommand } from '../../../src/slack/parse/incident-command.ts';
import { parseHandoffCommand } from '../../../src/slack/parse/handoff-command.ts';

describe('/incident parser', () => {
  it.each([
    [
      'declare sev2 Checkout errors after v1.2.3',
      { verb: 'declare', severity: 'sev2', title: 'Checkout errors after v1.2.3' },
    ],
    ['DECLARE SEV1   Payments   down', { verb: 'declare', severity: 'sev1', title: 'Payments down' }],
    ['declare sev-3 Slow search', { verb: 'declare', severity: 'sev3', title: 'Slow search' }],
    [
      'declare sev4 "quoted" title & more',
      { verb: 'declare', severity: 'sev4', title: '"quoted" title & more' },
    ],
    [
      'declare sev2 errors &lt;5xx&gt; &amp; timeouts',
      { verb: 'declare', severity: 'sev2', title: 'errors <5xx> & timeouts' },
    ],
    [
      'update Error rate back to 0.1% after the rollback',
      { verb: 'update', text: 'Error rate back to 0.1% after the rollback' },
    ],
    ['update line one\nline two', { verb: 'update', text: 'line one\nline two' }],
    ['resolve', { verb: 'resolve' }],
    [
      'resolve Rolled back; root cause is a bad index',
      { verb: 'resolve', summary: 'Rolled back; root cause is a bad index' },
    ],
    ['list', { verb: 'list' }],
    ['', { verb: 'help' }],
    ['help', { verb: 'help' }],
  ])('reads %j', (text, command) => {
    expect(parseIncidentCommand(text)).toEqual({ ok: true, command });
  });

  it.each([
    ['declare', /Say the severity and a title/],
    ['decalre sev2 Checkout down', /^"decalre" is not an \/incident command\. Did you mean \*declare\*\?/],
    ['declare sev2', /needs a title/],
    ['declare sev2    ', /needs a title/],
    ['declare sev5 Something', /"sev5" is not a severity/],
    ['declare critical Something', /"critical" is not a severity/],
    ['declare P1 Something', /"P1" is not a severity/],
    ['declare Checkout is down', /"Checkout" is not a severity/],
    [`declare sev2 ${'x'.repeat(MAX_TITLE + 1)}`, /within 150 characters/],
    ['update', /Say what changed/],
    [`update ${'y'.repeat(MAX_UPDATE + 1)}`, /limited to 2000/],
    [`resolve ${'z'.repeat(2001)}`, /limited to 2000/],
    ['list all', /takes no arguments/],
    ['open sev2 x', /"open" is not an \/incident command/],
  ])('refuses %j', (text, pattern) => {
    const parsed = parseIncidentCommand(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(pattern);
  });
});

describe('/handoff parser', () => {
  it.each([
    ['', 'post'],
    ['  ', 'post'],
    ['preview', 'preview'],
    ['PREVIEW', 'preview'],
    ['help', 'help'],
  ])('reads %j as %s', (text, verb) => {
    expect(parseHandoffCommand(text)).toEqual({ ok: true, command: { verb } });
  });

  it.each(['now', 'preview please', 'post #on-call'])('refuses %j', (text) => {
    const parsed = parseHandoffCommand(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/not a \/handoff form/);
  });
});
