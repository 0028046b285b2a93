// The demo service's flag (issue 18 item 9): LaunchDarkly's semantic patch applied to a simulated
// boolean flag, and the slice of the REST API the product's launchdarkly provider calls.
import { describe, expect, it } from 'vitest';
import { answerFlagRequest, type FlagRequest } from '../../../src/sandbox/demo/flag-api.ts';
import {
  applySemanticPatch,
  FALSE_ID,
  flagRepresentation,
  newDemoFlag,
  servedPercent,
  TRUE_ID,
  type DemoFlag,
} from '../../../src/sandbox/demo/flag-model.ts';
import { rolloutWeights, SEMANTIC_PATCH } from '../../../src/flags/launchdarkly.ts';

const fresh = () => newDemoFlag('new-checkout', 'shop', ['production']);
const weights = (pct: number) =>
  rolloutWeights(flagRepresentation(fresh()).variations as { _id: string; value: unknown }[], pct);

describe('the demo flag takes semantic patches', () => {
  const cases: { name: string; instructions: unknown[]; on: boolean; percent: number }[] = [
    {
      name: 'turnFlagOn serves true to everyone',
      instructions: [{ kind: 'turnFlagOn' }],
      on: true,
      percent: 100,
    },
    {
      name: 'a 50% rollout then on serves half',
      instructions: [
        { kind: 'updateFallthroughVariationOrRollout', rolloutWeights: weights(50) },
        { kind: 'turnFlagOn' },
      ],
      on: true,
      percent: 50,
    },
    {
      name: 'off serves nobody, whatever the rollout',
      instructions: [
        { kind: 'updateFallthroughVariationOrRollout', rolloutWeights: weights(25) },
        { kind: 'turnFlagOn' },
        { kind: 'turnFlagOff' },
      ],
      on: false,
      percent: 0,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = applySemanticPatch(fresh(), {
        environmentKey: 'production',
        instructions: c.instructions,
      });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const env = result.flag.environments.production!;
      expect([env.on, servedPercent(env)]).toEqual([c.on, c.percent]);
      expect(env.version).toBe(2);
    });
  }

  const refusals: { name: string; patch: unknown; status: number; message: RegExp }[] = [
    {
      name: 'no environmentKey',
      patch: { instructions: [{ kind: 'turnFlagOn' }] },
      status: 400,
      message: /environmentKey/,
    },
    {
      name: 'an unknown environment',
      patch: { environmentKey: 'staging', instructions: [{ kind: 'turnFlagOn' }] },
      status: 404,
      message: /unknown environment staging/,
    },
    {
      name: 'no instructions',
      patch: { environmentKey: 'production', instructions: [] },
      status: 400,
      message: /non-empty/,
    },
    {
      name: 'an unknown instruction',
      patch: { environmentKey: 'production', instructions: [{ kind: 'addTargets' }] },
      status: 400,
      message: /unsupported instruction kind addTargets/,
    },
    {
      name: 'weights that do not add up to 100000',
      patch: {
        environmentKey: 'production',
        instructions: [
          {
            kind: 'updateFallthroughVariationOrRollout',
            rolloutWeights: { [TRUE_ID]: 50_000, [FALSE_ID]: 40_000 },
          },
        ],
      },
      status: 400,
      message: /100000/,
    },
    {
      name: 'weights for unknown variations',
      patch: {
        environmentKey: 'production',
        instructions: [
          { kind: 'updateFallthroughVariationOrRollout', rolloutWeights: { a: 50_000, b: 50_000 } },
        ],
      },
      status: 400,
      message: /each variation/,
    },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name}, changing nothing`, () => {
      const flag = fresh();
      const result = applySemanticPatch(flag, r.patch);
      expect(result).toMatchObject({
        ok: false,
        status: r.status,
        message: expect.stringMatching(r.message),
      });
      expect(flag).toEqual(fresh());
    });
  }

  it('applies a patch all or nothing', () => {
    const result = applySemanticPatch(fresh(), {
      environmentKey: 'production',
      instructions: [{ kind: 'turnFlagOn' }, { kind: 'bogus' }],
    });
    expect(result.ok).toBe(false);
  });
});

describe('the demo flag API (LaunchDarkly REST v2)', () => {
  const TOKEN = 'api-demo-token';
  const req = (over: Partial<FlagRequest>): FlagRequest => ({
    method: 'GET',
    path: '/api/v2/flags/shop/new-checkout',
    authorization: TOKEN,
    contentType: undefined,
    body: '',
    ...over,
  });
  const patch = (flag: DemoFlag, instructions: unknown[], over: Partial<FlagRequest> = {}) =>
    answerFlagRequest(
      flag,
      TOKEN,
      req({
        method: 'PATCH',
        contentType: SEMANTIC_PATCH,
        body: JSON.stringify({ environmentKey: 'production', instructions }),
        ...over,
      }),
    );

  it('reads the flag with its boolean variations and per-environment state', () => {
    const answer = answerFlagRequest(fresh(), TOKEN, req({}));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      key: 'new-checkout',
      kind: 'boolean',
      variations: [
        { _id: TRUE_ID, value: true },
        { _id: FALSE_ID, value: false },
      ],
      environments: { production: { on: false, fallthrough: { variation: 0 } } },
    });
  });

  it('turns the flag on at a rollout and answers the changed flag', () => {
    const answer = patch(fresh(), [
      { kind: 'updateFallthroughVariationOrRollout', rolloutWeights: weights(50) },
      { kind: 'turnFlagOn' },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.flag?.environments.production).toMatchObject({ on: true });
    expect(answer.body).toMatchObject({
      environments: {
        production: {
          on: true,
          fallthrough: {
            rollout: {
              variations: [
                { variation: 0, weight: 50_000 },
                { variation: 1, weight: 50_000 },
              ],
            },
          },
        },
      },
    });
  });

  const errors: { name: string; request: Partial<FlagRequest>; status: number; code: string }[] = [
    { name: 'no token', request: { authorization: undefined }, status: 401, code: 'unauthorized' },
    { name: 'a wrong token', request: { authorization: 'api-other' }, status: 401, code: 'unauthorized' },
    { name: 'another flag', request: { path: '/api/v2/flags/shop/other' }, status: 404, code: 'not_found' },
    {
      name: 'another project',
      request: { path: '/api/v2/flags/web/new-checkout' },
      status: 404,
      code: 'not_found',
    },
    {
      name: 'a longer path',
      request: { path: '/api/v2/flags/shop/new-checkout/x' },
      status: 404,
      code: 'not_found',
    },
    { name: 'a DELETE', request: { method: 'DELETE' }, status: 405, code: 'method_not_allowed' },
    {
      name: 'a JSON patch (not semantic)',
      request: { method: 'PATCH', contentType: 'application/json', body: '[]' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'a body that is not JSON',
      request: { method: 'PATCH', contentType: SEMANTIC_PATCH, body: '{' },
      status: 400,
      code: 'invalid_request',
    },
  ];
  for (const e of errors) {
    it(`answers ${e.status} ${e.code} to ${e.name}, changing nothing`, () => {
      const answer = answerFlagRequest(fresh(), TOKEN, req(e.request));
      expect(answer.status).toBe(e.status);
      expect(answer.body).toMatchObject({ code: e.code });
      expect(answer.flag).toBeUndefined();
    });
  }
});
