import { describe, expect, it } from 'vitest';
import { exitText } from '../../src/exit-text.ts';
import { PortError } from '../../src/http/listen.ts';
import { RedisNotFoundError, RedisSetupError } from '../../src/redis/errors.ts';

describe('exitText', () => {
  it.each([
    ['a PortError', new PortError('PORT 3000 is already in use')],
    ['an unreachable Redis', new RedisSetupError('REDIS_UNREACHABLE', 'cannot reach Redis at redis://x:1')],
    ['no Redis at all', new RedisNotFoundError()],
  ])('prints %s as its message alone, no stack', (_name, error) => {
    const text = exitText(error);
    expect(text).toBe(`runway: ${error.message}`);
    expect(text).not.toContain('    at ');
  });

  it('names the three ways to get a Redis when none is found', () => {
    const text = exitText(new RedisNotFoundError());
    expect(text).toMatch(/^runway: Runway needs Redis/);
    expect(text).toContain('1. set REDIS_URL');
    expect(text).toContain('3. run `docker compose up redis`');
  });

  it('keeps the stack of an unexpected error, and prints a thrown non-error as text', () => {
    const bug = new TypeError('x is undefined');
    expect(exitText(bug)).toBe(`runway: ${bug.stack}`);
    expect(exitText(bug)).toContain('    at ');
    expect(exitText('boom')).toBe('runway: boom');
  });
});
