// The flag action against a LaunchDarkly fake written from its REST v2 docs, through runAction.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { runAction } from '../../../src/actions/run-action.ts';
import type { ActionConfig } from '../../../src/config/schema.ts';
import { actionSchema } from '../../../src/config/schema.ts';
import { startFakeLaunchDarkly, type FakeLaunchDarkly } from '../../helpers/fake-launchdarkly.ts';

const TOKEN = 'api-secret-token-123';
let ld: FakeLaunchDarkly;
let logged: string[];

beforeEach(async () => {
  ld = await startFakeLaunchDarkly({ project: 'web', key: 'ai_suggestions', token: TOKEN });
  logged = [];
});
afterEach(() => ld.close());

function config(): ActionConfig {
  return actionSchema.parse({
    flag: {
      provider: 'launchdarkly',
      key: 'ai_suggestions',
      project: 'web',
      environment: 'production',
      token: TOKEN,
      url: ld.url,
    },
  });
}

function ctx(flag?: 'on' | 'off', percent?: number) {
  const log = pino({ level: 'debug' }, { write: (line: string) => void logged.push(line) });
  return {
    vars: percent !== undefined ? { percent } : {},
    ...(flag ? { flag } : {}),
    idempotencyKey: 'k',
    signal: new AbortController().signal,
    log,
  };
}

const fast = { backoff: { baseMs: 5, capMs: 10 } };

describe('LaunchDarkly flag action (semantic patch)', () => {
  it('a flag stage sets the rollout to 10% (10000 thousandths) and turns the flag on; its undo turns it off', async () => {
    const on = await runAction(config(), ctx('on', 10), fast);
    expect(on).toMatchObject({ ok: true });
    expect(ld.env('production')).toEqual({ on: true, weights: { 'v-true': 10_000, 'v-false': 90_000 } });
    const patches = ld.server.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => JSON.parse(r.body.toString()))).toEqual([
      {
        environmentKey: 'production',
        instructions: [
          {
            kind: 'updateFallthroughVariationOrRollout',
            rolloutWeights: { 'v-true': 10_000, 'v-false': 90_000 },
          },
        ],
      },
      { environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }] },
    ]);
    for (const r of ld.server.requests) expect(r.headers.authorization).toBe(TOKEN);
    for (const r of patches)
      expect(r.headers['content-type']).toBe('application/json; domain-model=launchdarkly.semanticpatch');
    const off = await runAction(config(), ctx('off'), fast);
    expect(off.ok).toBe(true);
    expect(ld.env('production').on).toBe(false);
    expect(JSON.parse(ld.server.requests.at(-1)!.body.toString())).toEqual({
      environmentKey: 'production',
      instructions: [{ kind: 'turnFlagOff' }],
    });
    expect(logged.join('\n')).not.toContain(TOKEN);
  });

  it('a 4xx fails at once with its message and is not retried', async () => {
    ld.failNext(403, 5);
    const result = await runAction(config(), ctx('off'), fast);
    expect(result.ok).toBe(false);
    expect(result.retryable).toBe(false);
    expect(result.summary).toMatch(/HTTP 403/);
    expect(result.tail).toContain('forced 403');
    expect(ld.server.requests).toHaveLength(1);
  });

  it('a 5xx is retried with backoff and then succeeds', async () => {
    ld.failNext(503, 2);
    const result = await runAction(config(), ctx('off'), fast);
    expect(result.ok).toBe(true);
    expect(ld.server.requests).toHaveLength(3);
  });

  it('a bad token is a 401, and the token is never in the result or the logs', async () => {
    const bad = actionSchema.parse({
      flag: {
        provider: 'launchdarkly',
        key: 'ai_suggestions',
        project: 'web',
        environment: 'production',
        token: 'wrong-token-xyz',
        url: ld.url,
      },
    });
    const result = await runAction(bad, ctx('on', 50), fast);
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/HTTP 401/);
    expect(JSON.stringify(result)).not.toContain('wrong-token-xyz');
    expect(logged.join('\n')).not.toContain('wrong-token-xyz');
  });
});
