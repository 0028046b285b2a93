import { describe, expect, it } from 'vitest';
import {
  maskRedisUrl,
  parseRedisUrl,
  redisUrlSecrets,
  sentinelOptions,
  type SentinelTarget,
} from '../../../src/redis/redis-url.ts';
import { EnvError, loadEnv } from '../../../src/config/env.ts';

describe('REDIS_URL with Sentinel', () => {
  it.each<[string, Omit<SentinelTarget, 'kind'>]>([
    [
      'redis+sentinel://h1:26379,h2:26380/mymaster',
      {
        sentinels: [
          { host: 'h1', port: 26379 },
          { host: 'h2', port: 26380 },
        ],
        name: 'mymaster',
      },
    ],
    [
      'redis+sentinel://sentinel/primary',
      { sentinels: [{ host: 'sentinel', port: 26379 }], name: 'primary' },
    ],
    [
      'redis+sentinel://[::1]:5000,10.0.0.2/mymaster/2',
      {
        sentinels: [
          { host: '::1', port: 5000 },
          { host: '10.0.0.2', port: 26379 },
        ],
        name: 'mymaster',
        db: 2,
      },
    ],
    [
      'redis+sentinel://h1:26379/mymaster?password=p%40ss&sentinelPassword=s%26cret',
      {
        sentinels: [{ host: 'h1', port: 26379 }],
        name: 'mymaster',
        password: 'p@ss',
        sentinelPassword: 's&cret',
      },
    ],
    [
      'redis+sentinel://app:p%3Ass@h1:26379/mymaster?sentinelUsername=watch&sentinelPassword=x',
      {
        sentinels: [{ host: 'h1', port: 26379 }],
        name: 'mymaster',
        username: 'app',
        password: 'p:ss',
        sentinelUsername: 'watch',
        sentinelPassword: 'x',
      },
    ],
  ])('reads %s', (url, expected) => {
    expect(parseRedisUrl(url)).toEqual({ kind: 'sentinel', ...expected });
  });

  it('leaves redis:// and rediss:// URLs to ioredis as they are', () => {
    expect(parseRedisUrl('redis://:pw@localhost:6379/1')).toEqual({
      kind: 'url',
      url: 'redis://:pw@localhost:6379/1',
    });
    expect(parseRedisUrl('rediss://cache.example.com:6380')).toEqual({
      kind: 'url',
      url: 'rediss://cache.example.com:6380',
    });
  });

  it.each([
    ['redis+sentinel://h1:26379', 'expected the primary name'],
    ['redis+sentinel://h1:26379/', 'expected the primary name'],
    ['redis+sentinel://h1:26379/mymaster/x', 'expected a database number'],
    ['redis+sentinel://h1:99999/mymaster', 'expected sentinels as host:port'],
    ['redis+sentinel://h1:26379,,h2/mymaster', 'expected sentinels as host:port'],
    ['redis+sentinel://h1/mymaster?pasword=x', 'unknown option "pasword"'],
    ['redis+sentinel://:100%@h1/mymaster', 'is not followed by two hex digits'],
  ])('refuses %s', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(message);
  });

  it('gives ioredis the sentinels, the name, both passwords, and asks for the primary', () => {
    const target = parseRedisUrl('redis+sentinel://h1:1,h2:2/mymaster?password=a&sentinelPassword=b');
    if (target.kind !== 'sentinel') throw new Error('expected a sentinel target');
    expect(sentinelOptions(target)).toEqual({
      sentinels: [
        { host: 'h1', port: 1 },
        { host: 'h2', port: 2 },
      ],
      name: 'mymaster',
      role: 'master',
      password: 'a',
      sentinelPassword: 'b',
    });
  });

  it('masks both passwords and lists both for the log scrubber', () => {
    const url = 'redis+sentinel://h1:1,h2:2/mymaster?password=data-pw&sentinelPassword=sentinel-pw';
    expect(maskRedisUrl(url)).toBe('redis+sentinel://:***@h1:1,h2:2/mymaster?sentinelPassword=***');
    expect(maskRedisUrl('redis://:hunter22@redis:6379')).toBe('redis://:***@redis:6379');
    expect(redisUrlSecrets(url)).toEqual(['data-pw', 'sentinel-pw']);
    expect(redisUrlSecrets('redis://:p%40ss@redis:6379')).toEqual(['p@ss']);
  });

  it('is accepted by loadEnv, whose secrets include its passwords', () => {
    const env = loadEnv({
      REDIS_URL: 'redis+sentinel://h1,h2/mymaster?password=data-pw&sentinelPassword=sent-pw',
    });
    expect(env.redisUrl).toMatch(/^redis\+sentinel:/);
    expect(env.secrets).toEqual(['data-pw', 'sent-pw']);
  });

  it('makes loadEnv name the mistake in a Sentinel URL without quoting it', () => {
    const url = 'redis+sentinel://h1/mymaster?sentinelPasword=topsecret';
    let error: unknown;
    try {
      loadEnv({ REDIS_URL: url });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).message).toContain('REDIS_URL: unknown option "sentinelPasword"');
    expect((error as EnvError).message).not.toContain('topsecret');
  });
});

describe('a malformed Sentinel URL', () => {
  it('is refused without quoting any part of it (a password may be in the part that is wrong)', () => {
    for (const url of [
      'redis+sentinel://:pa/ss@h1/mymaster',
      'redis+sentinel://:p@ss:w0rd/x@h1/mymaster/db',
    ]) {
      let message = '';
      try {
        parseRedisUrl(url);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toMatch(/Zq7|Xk9|Wv3/);
    }
  });
});
