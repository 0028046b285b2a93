// Which release a command naming a service but no environment means: with the service running in
// several environments (staging → production), its one active release wherever it runs, so
// `/release pause checkout` finds checkout's staging release instead of saying none is active in
// the default environment. Several active: the person says which (`in <env>`).
import type { Release } from '../release/types.ts';
import type { ReleaseStore } from '../store/release-store.ts';
import { badInput } from './kit.ts';
import type { Refused } from './types.ts';

export type ActiveOfService = { release: Release } | { refusal: Refused } | null;

/** Its one active release; a refusal naming the environments when several are; null when none. */
export async function activeOfService(
  store: Pick<ReleaseStore, 'listActive'>,
  service: string,
  verb: string,
): Promise<ActiveOfService> {
  const active = (await store.listActive()).filter((r) => r.service === service);
  if (active.length === 1) return { release: active[0]! };
  if (active.length === 0) return null;
  const envs = active.map((r) => r.environment).sort();
  return {
    refusal: badInput(
      `${service} has releases active in ${envs.join(' and ')}; say which: /release ${verb} ${service} in ${envs[0]}.`,
    ),
  };
}
