// What `runway` prints when it exits on an error. Errors that already say what to do next (a PORT in
// use, Redis missing or unreachable) are one line a person reads; a stack would bury the advice.
// Anything else is unexpected: its stack is what a bug report needs.
import { PortError } from './http/listen.ts';
import { RedisSetupError } from './redis/errors.ts';

export function exitText(error: unknown): string {
  if (error instanceof PortError || error instanceof RedisSetupError) return `runway: ${error.message}`;
  if (error instanceof Error) return `runway: ${error.stack ?? error.message}`;
  return `runway: ${String(error)}`;
}
