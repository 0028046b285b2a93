// LaunchDarkly REST API v2, semantic patch: PATCH /api/v2/flags/{project}/{key} with
// `Content-Type: application/json; domain-model=launchdarkly.semanticpatch` and instructions.
// A rollout needs the variation ids, read once from GET /api/v2/flags/{project}/{key}.
import { FlagError, type FlagHttp, type FlagProvider } from './types.ts';

export const SEMANTIC_PATCH = 'application/json; domain-model=launchdarkly.semanticpatch';

export interface LaunchDarklyFlag {
  key: string;
  project: string;
  environment: string;
}

/** rolloutWeights in thousandths of a percent (100000 = 100%): `percent` to true, the rest to false. */
export function rolloutWeights(
  variations: { _id: string; value: unknown }[],
  percent: number,
): Record<string, number> {
  const on = variations.find((v) => v.value === true);
  const off = variations.find((v) => v.value === false);
  if (!on || !off) throw new FlagError('the flag is not a boolean flag (no true/false variations)', null);
  const weight = Math.round(percent * 1000);
  return { [on._id]: weight, [off._id]: 100_000 - weight };
}

export function launchDarkly(flag: LaunchDarklyFlag, http: FlagHttp): FlagProvider {
  const path = `/api/v2/flags/${encodeURIComponent(flag.project)}/${encodeURIComponent(flag.key)}`;
  const patch = async (instructions: Record<string, unknown>[]) => {
    await http({
      method: 'PATCH',
      path,
      headers: { 'Content-Type': SEMANTIC_PATCH },
      body: { environmentKey: flag.environment, instructions },
    });
  };
  return {
    turnOn: () => patch([{ kind: 'turnFlagOn' }]),
    turnOff: () => patch([{ kind: 'turnFlagOff' }]),
    async setRollout(percent) {
      const res = await http({ method: 'GET', path });
      const parsed = JSON.parse(res.body) as { variations?: { _id: string; value: unknown }[] };
      await patch([
        {
          kind: 'updateFallthroughVariationOrRollout',
          rolloutWeights: rolloutWeights(parsed.variations ?? [], percent),
        },
      ]);
    },
  };
}
