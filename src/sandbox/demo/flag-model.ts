// The demo service's simulated feature flag, in LaunchDarkly's shape: a boolean flag with a true and a
// false variation, and per environment whether it is on and the fallthrough rollout (weights in
// thousandths of a percent). Semantic-patch instructions change it; anything else is refused as
// LaunchDarkly refuses it (400 invalid_request), so the product's real provider code is what runs.

export interface FlagEnvironment {
  on: boolean;
  /** rolloutWeights by variation id; absent = the "true" variation for everyone. */
  weights: Record<string, number> | null;
  version: number;
}

export interface DemoFlag {
  key: string;
  project: string;
  environments: Record<string, FlagEnvironment>;
}

export const TRUE_ID = 'demo-variation-true';
export const FALSE_ID = 'demo-variation-false';

export function newDemoFlag(key: string, project: string, environments: readonly string[]): DemoFlag {
  return {
    key,
    project,
    environments: Object.fromEntries(environments.map((e) => [e, { on: false, weights: null, version: 1 }])),
  };
}

export type PatchResult = { ok: true; flag: DemoFlag } | { ok: false; status: number; message: string };

interface Instruction {
  kind?: unknown;
  rolloutWeights?: unknown;
}

/** One semantic patch (`environmentKey` + instructions), all or nothing. */
export function applySemanticPatch(flag: DemoFlag, patch: unknown): PatchResult {
  const body = (patch ?? {}) as { environmentKey?: unknown; instructions?: unknown };
  if (typeof body.environmentKey !== 'string')
    return refuse('environmentKey is required for flag instructions');
  const current = flag.environments[body.environmentKey];
  if (!current) return refuse(`unknown environment ${body.environmentKey}`, 404);
  if (!Array.isArray(body.instructions) || body.instructions.length === 0)
    return refuse('instructions must be a non-empty array');
  let env: FlagEnvironment = { ...current };
  for (const raw of body.instructions as Instruction[]) {
    if (raw.kind === 'turnFlagOn') env = { ...env, on: true };
    else if (raw.kind === 'turnFlagOff') env = { ...env, on: false };
    else if (raw.kind === 'updateFallthroughVariationOrRollout') {
      const weights = validWeights(raw.rolloutWeights);
      if (!weights) return refuse('rolloutWeights must give each variation a weight, adding up to 100000');
      env = { ...env, weights };
    } else return refuse(`unsupported instruction kind ${String(raw.kind)}`);
  }
  env.version = current.version + 1;
  return { ok: true, flag: { ...flag, environments: { ...flag.environments, [body.environmentKey]: env } } };
}

/** The share of users who get `true` in an environment, 0 when the flag is off. */
export function servedPercent(env: FlagEnvironment): number {
  if (!env.on) return 0;
  return env.weights ? (env.weights[TRUE_ID] ?? 0) / 1000 : 100;
}

/** The flag as GET /api/v2/flags/{project}/{key} returns it (the fields the API documents that matter here). */
export function flagRepresentation(flag: DemoFlag): Record<string, unknown> {
  const environments = Object.fromEntries(
    Object.entries(flag.environments).map(([name, env]) => [
      name,
      {
        on: env.on,
        archived: false,
        version: env.version,
        offVariation: 1,
        fallthrough: env.weights
          ? {
              rollout: {
                variations: [
                  { variation: 0, weight: env.weights[TRUE_ID] ?? 0 },
                  { variation: 1, weight: env.weights[FALSE_ID] ?? 0 },
                ],
              },
            }
          : { variation: 0 },
      },
    ]),
  );
  return {
    key: flag.key,
    name: flag.key,
    kind: 'boolean',
    variations: [
      { _id: TRUE_ID, value: true, name: 'true' },
      { _id: FALSE_ID, value: false, name: 'false' },
    ],
    defaults: { onVariation: 0, offVariation: 1 },
    environments,
  };
}

function validWeights(value: unknown): Record<string, number> | null {
  if (!value || typeof value !== 'object') return null;
  const entries = Object.entries(value as Record<string, unknown>);
  const ids = new Set(entries.map(([id]) => id));
  if (ids.size !== 2 || !ids.has(TRUE_ID) || !ids.has(FALSE_ID)) return null;
  if (!entries.every(([, w]) => Number.isInteger(w) && (w as number) >= 0)) return null;
  const total = entries.reduce((n, [, w]) => n + (w as number), 0);
  return total === 100_000 ? (Object.fromEntries(entries) as Record<string, number>) : null;
}

function refuse(message: string, status = 400): PatchResult {
  return { ok: false, status, message };
}
