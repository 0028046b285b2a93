import { describe, expect, it } from 'vitest';
import { commandEnv, runwayEnv } from '../../../src/actions/env.ts';
import { deadline } from '../../../src/actions/deadline.ts';

describe('runwayEnv', () => {
  const cases: [Record<string, string | number | null>, Record<string, string>][] = [
    [{}, {}],
    [
      { version: 'v1', percent: 0 },
      { RUNWAY_VERSION: 'v1', RUNWAY_PERCENT: '0' },
    ],
    [{ previous_version: null, service: '' }, {}],
    [
      {
        release_id: 'r1',
        version: 'v2',
        previous_version: 'v1',
        service: 's',
        environment: 'e',
        percent: 50,
        requester: 'U1',
      },
      {
        RUNWAY_RELEASE_ID: 'r1',
        RUNWAY_VERSION: 'v2',
        RUNWAY_PREVIOUS_VERSION: 'v1',
        RUNWAY_SERVICE: 's',
        RUNWAY_ENVIRONMENT: 'e',
        RUNWAY_PERCENT: '50',
      },
    ],
  ];
  it.each(cases)('%j', (vars, env) => {
    expect(runwayEnv(vars)).toEqual(env);
  });

  it('the runbook env cannot override Runway’s values', () => {
    const env = commandEnv(
      { RUNWAY_VERSION: 'fake', RUNWAY_IDEMPOTENCY_KEY: 'fake', MINE: '1' },
      { version: 'v3' },
      'key-1',
    );
    expect(env).toMatchObject({
      RUNWAY_VERSION: 'v3',
      RUNWAY_IDEMPOTENCY_KEY: 'key-1',
      MINE: '1',
      PATH: process.env.PATH,
    });
  });
});

describe('deadline', () => {
  it('says cancelled when the parent aborts', () => {
    const parent = new AbortController();
    const d = deadline(parent.signal, 10_000);
    parent.abort();
    expect([d.signal.aborted, d.reason()]).toEqual([true, 'cancelled']);
    d.dispose();
  });

  it('says timed_out when time runs out', async () => {
    const d = deadline(undefined, 20);
    await new Promise((r) => setTimeout(r, 40));
    expect([d.signal.aborted, d.reason()]).toEqual([true, 'timed_out']);
  });

  it('starts aborted under an aborted parent', () => {
    const parent = new AbortController();
    parent.abort();
    expect(deadline(parent.signal, undefined).reason()).toBe('cancelled');
  });
});

describe('what a command inherits', () => {
  it("withholds Runway's own credentials but keeps PATH and cloud credentials", async () => {
    const { inheritedEnv } = await import('../../../src/actions/env.ts');
    const env = inheritedEnv({
      PATH: '/usr/bin',
      AWS_PROFILE: 'prod',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_SIGNING_SECRET: 'sss',
      RUNWAY_ADMIN_TOKEN: 'adm',
      REDIS_URL: 'redis://:pw@h',
    });
    expect(env).toEqual({ PATH: '/usr/bin', AWS_PROFILE: 'prod' });
  });
});
