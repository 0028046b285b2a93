// Errors from finding, starting or reaching Redis. Each message says what to do next, because it is
// the last thing a person sees before Runway exits.

export type RedisErrorCode =
  'REDIS_NOT_FOUND' | 'REDIS_UNREACHABLE' | 'REDIS_START_FAILED' | 'REDIS_INSTALL_FAILED';

export class RedisSetupError extends Error {
  constructor(
    readonly code: RedisErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RedisSetupError';
  }
}

export class RedisNotFoundError extends RedisSetupError {
  constructor() {
    super(
      'REDIS_NOT_FOUND',
      [
        'Runway needs Redis, REDIS_URL is not set and redis-server is not on PATH. Any one of these works:',
        '  1. set REDIS_URL to a Redis you run, e.g. REDIS_URL=redis://localhost:6379',
        '  2. install Redis: `apt install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS); Runway then starts its own under .runway/',
        '  3. run `docker compose up redis` and set REDIS_URL=redis://localhost:6379',
      ].join('\n'),
    );
    this.name = 'RedisNotFoundError';
  }
}
