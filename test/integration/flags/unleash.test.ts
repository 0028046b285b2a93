// The unleash flag action against a REAL Unleash 6 server (npm unleash-server, installed into a cache
// folder on first run) on a real PostgreSQL that the test starts itself. Each step goes through
// runAction, the code path run-flag.ts gives the engine; the flag's state is then read back from
// Unleash's own Admin API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { runAction } from '../../../src/actions/run-action.ts';
import type { ActionConfig } from '../../../src/config/schema.ts';
import { actionSchema } from '../../../src/config/schema.ts';
import { startUnleash, type TestUnleash } from '../../helpers/unleash-server.ts';

// Unleash admin tokens are `<project>:<environment>.<secret>`; `*:*` is all projects and environments.
const SECRET = 'runway-test-admin-4f0c9e2b7d1a';
const TOKEN = `*:*.${SECRET}`;
// Open-source Unleash has no API to create projects or environments (Enterprise only); it ships the
// `default` project with `development` and `production`. Features and strategies are created here.
const PROJECT = 'default';
const ENV = 'production';

let unleash: TestUnleash;
let logged: string[] = [];

interface Strategy {
  id: string;
  name: string;
  disabled?: boolean | null;
  parameters: Record<string, string>;
  constraints: { contextName: string; operator: string; values?: string[] }[];
}

async function admin(method: string, path: string, body?: unknown, token = TOKEN): Promise<unknown> {
  const res = await fetch(`${unleash.url}${path}`, {
    method,
    headers: { Authorization: token, 'Content-Type': 'application/json', Accept: 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

const featurePath = (feature: string) => `/api/admin/projects/${PROJECT}/features/${feature}`;

async function createFeature(feature: string): Promise<void> {
  await admin('POST', `/api/admin/projects/${PROJECT}/features`, { name: feature, type: 'release' });
}

/** The feature's environment as Unleash reports it: enabled, and its strategies. */
async function readBack(feature: string): Promise<{ enabled: boolean; strategies: Strategy[] }> {
  return (await admin('GET', `${featurePath(feature)}/environments/${ENV}`)) as {
    enabled: boolean;
    strategies: Strategy[];
  };
}

/** The rollouts of the strategies the SDKs see (Unleash does not send disabled ones). */
function liveRollouts(strategies: Strategy[]): string[] {
  return strategies.filter((s) => !s.disabled).map((s) => `${s.name}:${s.parameters.rollout ?? '-'}`);
}

function config(key: string, token = TOKEN): ActionConfig {
  return actionSchema.parse({
    flag: { provider: 'unleash', key, url: unleash.url, project: PROJECT, environment: ENV, token },
    retries: 2,
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

beforeAll(async () => {
  // First run installs unleash-server (a minute or two); every run migrates an empty database.
  unleash = await startUnleash(TOKEN);
}, 300_000);
afterAll(async () => {
  await unleash?.stop();
}, 60_000);

describe('Unleash flag action against a real Unleash 6 server', () => {
  it('on at 10%, on at 50%, off: enabled state and flexibleRollout rollout read back after each step', async () => {
    logged = [];
    const feature = 'checkout_ai';
    await createFeature(feature);
    expect(await readBack(feature)).toMatchObject({ enabled: false, strategies: [] });

    const on10 = await runAction(config(feature), ctx('on', 10), fast);
    expect(on10).toMatchObject({ ok: true, summary: `flag ${feature} on at 10% (unleash)` });
    let env = await readBack(feature);
    expect(env.enabled).toBe(true);
    expect(liveRollouts(env.strategies)).toEqual(['flexibleRollout:10']);
    const strategyId = env.strategies[0]!.id;

    const on50 = await runAction(config(feature), ctx('on', 50), fast);
    expect(on50.ok).toBe(true);
    env = await readBack(feature);
    expect(env.enabled).toBe(true);
    expect(liveRollouts(env.strategies)).toEqual(['flexibleRollout:50']);
    expect(env.strategies.map((s) => s.id)).toEqual([strategyId]);

    const off = await runAction(config(feature), ctx('off'), fast);
    expect(off).toMatchObject({ ok: true, summary: `flag ${feature} off (unleash)` });
    env = await readBack(feature);
    expect(env.enabled).toBe(false);
    expect(liveRollouts(env.strategies)).toEqual(['flexibleRollout:50']);

    // A re-delivered job runs the same step again: same state, no second strategy.
    for (let i = 0; i < 2; i++) expect((await runAction(config(feature), ctx('on', 25), fast)).ok).toBe(true);
    env = await readBack(feature);
    expect(env.enabled).toBe(true);
    expect(env.strategies.map((s) => `${s.id}:${s.parameters.rollout}`)).toEqual([`${strategyId}:25`]);
    for (let i = 0; i < 2; i++) expect((await runAction(config(feature), ctx('off'), fast)).ok).toBe(true);
    expect((await readBack(feature)).enabled).toBe(false);

    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('\n')).not.toContain(SECRET);
  });

  it("an existing flexibleRollout keeps its constraints, stickiness and groupId, and a disabled one is re-enabled (not shadowed by Unleash's 100% default)", async () => {
    logged = [];
    const feature = 'search_v2';
    await createFeature(feature);
    const constraint = {
      contextName: 'appName',
      operator: 'IN',
      values: ['web'],
      caseInsensitive: false,
      inverted: false,
    };
    const created = (await admin('POST', `${featurePath(feature)}/environments/${ENV}/strategies`, {
      name: 'flexibleRollout',
      constraints: [constraint],
      parameters: { rollout: '100', stickiness: 'userId', groupId: 'search-experiment' },
      disabled: true,
    })) as Strategy;

    const on = await runAction(config(feature), ctx('on', 10), fast);
    expect(on.ok).toBe(true);
    const env = await readBack(feature);
    expect(env.enabled).toBe(true);
    // One strategy, the same one: a disabled strategy left as it was would make Unleash add its own
    // default strategy on enable, giving the flag to 100% of users.
    expect(env.strategies).toHaveLength(1);
    const strategy = env.strategies[0]!;
    expect(strategy.id).toBe(created.id);
    expect(strategy.disabled).toBe(false);
    expect(strategy.parameters).toEqual({
      rollout: '10',
      stickiness: 'userId',
      groupId: 'search-experiment',
    });
    expect(strategy.constraints).toEqual([
      expect.objectContaining({ contextName: 'appName', values: ['web'] }),
    ]);
  });

  it("a 4xx (unknown feature) fails the step with Unleash's own message and is not retried", async () => {
    logged = [];
    for (const step of [ctx('on', 10), ctx('off')]) {
      const result = await runAction(config('no_such_flag'), step, fast);
      expect(result.ok).toBe(false);
      expect(result.retryable).toBe(false);
      expect(result.summary).toMatch(/HTTP 404 from unleash/);
      // Unleash's error body is { id, name, message, details }; its message ends the summary.
      const body = JSON.parse(result.tail ?? '{}') as { name?: string; message?: string };
      expect(body.name).toBe('NotFoundError');
      expect(body.message).toContain('no_such_flag');
      expect(result.summary.endsWith(`HTTP 404 from unleash: ${body.message}`)).toBe(true);
    }
    // Each retry is logged before its wait; none here.
    expect(logged.join('\n')).not.toMatch(/retrying/);
    expect(logged.join('\n')).not.toContain(SECRET);
  });

  it('a wrong token is refused (401) without retries, and neither token reaches the result or the logs', async () => {
    logged = [];
    const feature = 'wrong_token_flag';
    await createFeature(feature);
    const wrong = '*:*.runway-wrong-secret-9a8b7c6d';
    const result = await runAction(config(feature, wrong), ctx('on', 50), fast);
    expect(result.ok).toBe(false);
    expect(result.retryable).toBe(false);
    expect(result.summary).toMatch(/HTTP 401 from unleash/);
    expect(JSON.stringify(result)).not.toContain(wrong);
    expect(logged.join('\n')).not.toContain(wrong);
    expect(logged.join('\n')).not.toMatch(/retrying/);
    expect(await readBack(feature)).toMatchObject({ enabled: false, strategies: [] });
  });
});
