// The delivery layer's Lua scripts (./lua, one file per script with an Input/Output header), run by
// SHA with the store's runner.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LuaScript } from '../../store/scripts.ts';

function load(name: string): LuaScript {
  const source = readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

export const deliveryScripts = {
  takeToken: load('take-token'),
  pushPost: load('push-post'),
  removePosts: load('remove-posts'),
  releaseLane: load('release-lane'),
  renewLock: load('renew-lock'),
  markCard: load('mark-card'),
  cardSent: load('card-sent'),
} as const;
