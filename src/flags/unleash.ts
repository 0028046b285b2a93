// Unleash 6 Admin API: POST …/features/{f}/environments/{e}/on|off; the rollout is a flexibleRollout
// strategy under …/environments/{e}/strategies (created when absent, updated otherwise).
import type { FlagHttp, FlagProvider } from './types.ts';

export interface UnleashFlag {
  key: string;
  project: string;
  environment: string;
}

interface Strategy {
  id: string;
  name: string;
}

export function flexibleRollout(key: string, percent: number) {
  return {
    name: 'flexibleRollout',
    constraints: [],
    parameters: { rollout: String(percent), stickiness: 'default', groupId: key },
  };
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
      const strategies = JSON.parse(res.body) as Strategy[];
      const existing = strategies.find((s) => s.name === 'flexibleRollout');
      const body = flexibleRollout(flag.key, percent);
      if (existing) await http({ method: 'PUT', path: `${env}/strategies/${existing.id}`, body });
      else await http({ method: 'POST', path: `${env}/strategies`, body });
    },
  };
}
