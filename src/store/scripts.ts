// Loads the store's Lua scripts from ./lua (BullMQ style: one file per script, a header saying
// Input/Output, shared helpers pulled in with `--- @include "name"`) and runs them by SHA, falling
// back to EVAL when Redis has not seen the script yet (a restart flushes the script cache).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const LUA_DIR = new URL('./lua/', import.meta.url);
const INCLUDE = /^--- @include "([\w-]+)"$/gm;

export interface LuaScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
}

export function loadScript(name: string): LuaScript {
  const text = readFileSync(new URL(`${name}.lua`, LUA_DIR), 'utf8');
  const source = text.replace(INCLUDE, (_line, include: string) =>
    readFileSync(new URL(`includes/${include}.lua`, LUA_DIR), 'utf8'),
  );
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

export const scripts = {
  appendAudit: loadScript('append-audit'),
  createRelease: loadScript('create-release'),
  saveRelease: loadScript('save-release'),
  releaseLock: loadScript('release-lock'),
  claimOutbox: loadScript('claim-outbox'),
  finishDrain: loadScript('finish-drain'),
  beginStep: loadScript('begin-step'),
  beatRun: loadScript('beat-run'),
  pushNotifications: loadScript('push-notifications'),
  claimDue: loadScript('claim-due'),
  saveSteady: loadScript('save-steady'),
  keepSteady: loadScript('keep-steady'),
} as const;

/** Runs a script atomically; the reply's shape is the script's `Output:`, checked by the caller. */
export async function runScript(
  redis: Redis,
  script: LuaScript,
  keys: string[],
  args: string[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return await redis.eval(script.source, keys.length, ...keys, ...args);
  }
}
