import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.ts';
import { RedisNotFoundError, RedisSetupError } from '../../../src/redis/errors.ts';
import { ensureRedis, maskUrl, type EnsureRedisOptions } from '../../../src/redis/find-redis.ts';
import { APT_STEPS } from '../../../src/redis/install-redis.ts';

const log = createLogger({ level: 'silent' });
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function options(overrides: Partial<EnsureRedisOptions>): EnsureRedisOptions {
  const dataDir = mkdtempSync(join(tmpdir(), 'runway-data-'));
  dirs.push(dataDir);
  return { dataDir, log, which: async () => null, isRoot: () => false, isDebian: () => true, ...overrides };
}

describe('finding Redis when redis-server is missing', () => {
  it('names the three ways to get one when it may not install it', async () => {
    const error = await ensureRedis(options({})).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RedisNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain('REDIS_URL');
    expect(message).toContain('apt install redis-server');
    expect(message).toContain('brew install redis');
    expect(message).toContain('docker compose up redis');
  });

  it('does not install as root on a system that is not Debian or Ubuntu', async () => {
    let installs = 0;
    const attempt = ensureRedis(
      options({ isRoot: () => true, isDebian: () => false, installer: async () => void installs++ }),
    );
    await expect(attempt).rejects.toBeInstanceOf(RedisNotFoundError);
    expect(installs).toBe(0);
  });

  it('installs as root on Debian, and still explains when redis-server is missing after', async () => {
    let installs = 0;
    const attempt = ensureRedis(options({ isRoot: () => true, installer: async () => void installs++ }));
    await expect(attempt).rejects.toBeInstanceOf(RedisNotFoundError);
    expect(installs).toBe(1);
  });

  it('reports a failed install', async () => {
    const failing = async (): Promise<void> => {
      throw new RedisSetupError('REDIS_INSTALL_FAILED', 'apt-get update exited with 100');
    };
    await expect(ensureRedis(options({ isRoot: () => true, installer: failing }))).rejects.toMatchObject({
      code: 'REDIS_INSTALL_FAILED',
    });
  });

  it('installs with apt-get, argv by argv, no shell', () => {
    expect(APT_STEPS).toEqual([
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', 'redis-server'],
    ]);
  });
});

describe('masking REDIS_URL', () => {
  it('hides the password and keeps the rest', () => {
    expect(maskUrl('redis://user:s3cret@redis.internal:6380/2')).toBe(
      'redis://user:***@redis.internal:6380/2',
    );
    expect(maskUrl('redis://redis.internal:6379')).toBe('redis://redis.internal:6379');
    expect(maskUrl('not a url')).not.toContain('not a url');
  });
});
