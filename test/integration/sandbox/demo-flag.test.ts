// The demo service's flag through the product's own flag action (runAction → the launchdarkly
// provider → HTTP), as the demo runbook's flag stage and its undo run it: no fake in between.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { runAction } from '../../../src/actions/run-action.ts';
import { actionSchema, type ActionConfig } from '../../../src/config/schema.ts';
import { DEMO_FLAG, startDemoService, type DemoService } from '../../../src/sandbox/demo/service.ts';

let demo: DemoService;
let logged: string[];

beforeEach(async () => {
  demo = await startDemoService({ tickMs: 1000 });
  logged = [];
});
afterEach(() => demo.close());

function config(token = demo.flagToken): ActionConfig {
  return actionSchema.parse({
    flag: {
      provider: 'launchdarkly',
      url: demo.url,
      project: DEMO_FLAG.project,
      key: DEMO_FLAG.key,
      environment: 'production',
      token,
    },
  });
}

function ctx(flag: 'on' | 'off', percent?: number) {
  const log = pino({ level: 'debug' }, { write: (line: string) => void logged.push(line) });
  return {
    vars: percent !== undefined ? { percent } : {},
    flag,
    idempotencyKey: 'k',
    signal: new AbortController().signal,
    log,
  };
}

const fast = { backoff: { baseMs: 5, capMs: 10 } };

describe('the demo flag behind the launchdarkly provider', () => {
  it('the flag stage turns it on for 50% of users; its undo turns it off', async () => {
    expect(demo.flag()).toEqual({ key: 'new-checkout', on: false, percent: 0 });
    expect(await runAction(config(), ctx('on', 50), fast)).toMatchObject({
      ok: true,
      summary: 'flag new-checkout on at 50% (launchdarkly)',
    });
    expect(demo.flag()).toEqual({ key: 'new-checkout', on: true, percent: 50 });
    // Run twice (a re-delivered job): the same state.
    expect(await runAction(config(), ctx('on', 50), fast)).toMatchObject({ ok: true });
    expect(demo.flag()).toEqual({ key: 'new-checkout', on: true, percent: 50 });
    expect(await runAction(config(), ctx('off'), fast)).toMatchObject({ ok: true });
    expect(demo.flag()).toEqual({ key: 'new-checkout', on: false, percent: 0 });
  });

  it('a wrong token is refused with 401 and nothing changes; the token is never in the output', async () => {
    const wrong = 'api-wrong-token-0000';
    const result = await runAction(config(wrong), ctx('on', 50), fast);
    expect(result).toMatchObject({ ok: false });
    expect(result.summary).toMatch(/HTTP 401 from launchdarkly/);
    expect(`${result.summary}${result.tail ?? ''}${logged.join('')}`).not.toContain(wrong);
    expect(demo.flag().on).toBe(false);
  });
});
