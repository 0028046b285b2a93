// Unleash 6 Admin API: POST …/features/{f}/environments/{e}/on|off; the rollout is a flexibleRollout
// strategy under …/environments/{e}/strategies: created when absent, else JSON-patched in place.
// A PUT would replace the strategy (dropping its constraints and strategy variants) and keep a
// disabled strategy disabled; on enable, Unleash then adds its own 100% default strategy.
import type { FlagHttp, FlagProvider } from './types.ts';

export interface UnleashFlag {
  key: string;
  project: string;
  environment: string;
}

export interface UnleashStrategy {
  id: string;
  name: string;
  disabled?: boolean | null;
}

export function flexibleRollout(key: string, percent: number) {
  return {
    name: 'flexibleRollout',
    constraints: [],
    parameters: { rollout: String(percent), stickiness: 'default', groupId: key },
  };
}

/** The flexibleRollout strategy to set: an enabled one first, else a disabled one to re-enable. */
export function pickRolloutStrategy(strategies: UnleashStrategy[]): UnleashStrategy | undefined {
  const rollouts = strategies.filter((s) => s.name === 'flexibleRollout');
  return rollouts.find((s) => !s.disabled) ?? rollouts[0];
}

/** RFC 6902 ops: only the rollout and the disabled switch change; the rest stays the user's. */
export function rolloutPatch(percent: number) {
  return [
    { op: 'add', path: '/parameters/rollout', value: String(percent) },
    { op: 'add', path: '/disabled', value: false },
  ];
}

export function unleash(flag: UnleashFlag, http: FlagHttp): FlagProvider {
  const env =
    `/api/admin/projects/${encodeURIComponent(flag.project)}/features/${encodeURIComponent(flag.key)}` +
    `/environments/${encodeURIComponent(flag.environment)}`;
  return {
    turnOn: async () => void (await http({ method: 'POST', path: `${env}/on` })),
    turnOff: async () => void (await http({ method: 'POST', path: `${env}/off` })),
    async setRollout(percent) {
      const res = await http({ method: 'GET', path: `${env}/strategies` });
      const existing = pickRolloutStrategy(JSON.parse(res.body) as UnleashStrategy[]);
      if (existing) {
        const path = `${env}/strategies/${encodeURIComponent(existing.id)}`;
        await http({ method: 'PATCH', path, body: rolloutPatch(percent) });
      } else {
        await http({ method: 'POST', path: `${env}/strategies`, body: flexibleRollout(flag.key, percent) });
      }
    },
  };
}
