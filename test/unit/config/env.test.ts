import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from '../../../src/config/env.ts';

describe('loadEnv', () => {
  it('fills the defaults of SPEC section 1 and runs the sandbox with no Slack credentials', () => {
    expect(loadEnv({})).toEqual({
      mode: 'sandbox',
      configPath: './runway.yml',
      configPathIsDefault: true,
      slack: { apiUrl: 'https://slack.com/api/' },
      port: 3000,
      logLevel: 'info',
      prefix: 'runway',
      secrets: [],
      slackUpdatesPerMinute: 45,
      sandboxSlackLimits: false,
    });
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, 'socket'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'signing-secret' }, 'http'],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_SIGNING_SECRET: 'signing-secret' },
      'socket',
    ],
    [{ SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '' }, 'sandbox'],
    [{}, 'sandbox'],
  ])('chooses the mode from the credentials: %j → %s', (env, mode) => {
    expect(loadEnv(env).mode).toBe(mode);
  });

  it('reads every variable', () => {
    const env = loadEnv({
      RUNWAY_CONFIG: '/etc/runway/runway.yml',
      REDIS_URL: 'redis://:p%40ss@redis:6379/0',
      SLACK_BOT_TOKEN: 'xoxb-bot-token',
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: 'http://localhost:4000/api',
      PORT: '8080',
      LOG_LEVEL: 'debug',
      RUNWAY_ADMIN_TOKEN: 'a-long-admin-token-1234',
      RUNWAY_SLACK_UPDATES_PER_MINUTE: '30',
      RUNWAY_SANDBOX_SLACK_LIMITS: '1',
      UNRELATED: 'ignored',
    });
    expect(env).toEqual({
      mode: 'http',
      configPath: '/etc/runway/runway.yml',
      configPathIsDefault: false,
      redisUrl: 'redis://:p%40ss@redis:6379/0',
      slack: {
        botToken: 'xoxb-bot-token',
        signingSecret: 'signing-secret',
        apiUrl: 'http://localhost:4000/api/',
      },
      port: 8080,
      logLevel: 'debug',
      adminToken: 'a-long-admin-token-1234',
      prefix: 'runway',
      secrets: ['xoxb-bot-token', 'signing-secret', 'a-long-admin-token-1234', 'p@ss'],
      slackUpdatesPerMinute: 30,
      sandboxSlackLimits: true,
    });
  });

  it('lists every invalid variable in one error', () => {
    let error: unknown;
    try {
      loadEnv({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        SLACK_API_URL: 'slack.com',
        REDIS_URL: 'localhost:6379',
        RUNWAY_ADMIN_TOKEN: 'short',
        SLACK_BOT_TOKEN: 'xapp-swapped',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).problems).toEqual([
      'REDIS_URL: expected a URL like redis://localhost:6379 or redis+sentinel://h1:26379,h2:26379/mymaster',
      'SLACK_BOT_TOKEN: expected a bot token starting with xoxb-',
      'SLACK_API_URL: expected an http(s) URL like https://slack.com/api/ (got "slack.com")',
      'PORT: expected a port number (got "eighty")',
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'RUNWAY_ADMIN_TOKEN: expected at least 16 characters: it guards the queue dashboard',
      'SLACK_BOT_TOKEN: set SLACK_APP_TOKEN too (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode), or unset it to run the local sandbox',
    ]);
    expect((error as Error).message).toContain('fix these environment variables:\n  REDIS_URL:');
    expect((error as Error).message).not.toContain('xapp-swapped');
  });

  it.each([
    [{ SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_APP_TOKEN: set SLACK_BOT_TOKEN too'],
    [{ SLACK_SIGNING_SECRET: 'signing-secret' }, 'SLACK_SIGNING_SECRET: set SLACK_BOT_TOKEN too'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_BOT_TOKEN: set SLACK_APP_TOKEN too'],
    [{ PORT: '70000' }, 'PORT:'],
    [{ PORT: '3000.5' }, 'PORT: expected a port number'],
  ])('refuses half a configuration: %j', (env, problem) => {
    expect(() => loadEnv(env)).toThrow(problem);
  });

  it('lets a worker run with the bot token alone (it only calls the Web API)', () => {
    const env = loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1' }, { workerOnly: true });
    expect(env.slack.botToken).toBe('xoxb-1');
    expect(env.mode).not.toBe('sandbox');
  });
});
