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

function config(extra: { timeout?: string; retries?: number } = {}): ActionConfig {
  return actionSchema.parse({
    ...extra,
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
    // The provider's own message is in the summary (the stage's line on the card), its body in the tail.
    expect(result.summary).toBe(
      'flag ai_suggestions could not be turned off: HTTP 403 from launchdarkly: forced 403',
    );
    expect(result.tail).toContain('forced 403');
    expect(ld.server.requests).toHaveLength(1);
  });

  it('a 5xx is retried with backoff and then succeeds', async () => {
    ld.failNext(503, 2);
    const result = await runAction(config(), ctx('off'), fast);
    expect(result.ok).toBe(true);
    expect(ld.server.requests).toHaveLength(3);
  });

  it("5xx retries back off: each wait at least the policy's delay, doubling", async () => {
    ld.failNext(500, 2);
    const pinned = { backoff: { baseMs: 100, capMs: 1000, random: () => 0 } };
    const result = await runAction(config(), ctx('off'), pinned);
    expect(result.ok).toBe(true);
    const at = ld.server.requests.map((r) => r.at);
    expect(at).toHaveLength(3);
    // Equal jitter with random() = 0: 50 ms, then 100 ms (lower bounds only; the machine is shared).
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(50);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(100);
  });

  it('a request that times out is retried, and the flag still turns on', async () => {
    ld.hangNext(1);
    const result = await runAction(config({ timeout: '300ms' }), ctx('on', 25), fast);
    expect(result).toMatchObject({ ok: true });
    expect(ld.env('production')).toEqual({ on: true, weights: { 'v-true': 25_000, 'v-false': 75_000 } });
    // The GET that hung, the GET again, then the two patches.
    expect(ld.server.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'PATCH', 'PATCH']);
    expect(logged.join('\n')).toMatch(/flag service timed out after 300ms, retrying/);
  });

  it('timeouts past the retries fail the action, not retried again by the job', async () => {
    ld.hangNext(3);
    const result = await runAction(config({ timeout: '200ms', retries: 2 }), ctx('off'), fast);
    expect(result.ok).toBe(false);
    expect(result.retryable).toBe(false);
    expect(result.summary).toMatch(/could not be turned off: timed out after 200ms calling launchdarkly/);
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
