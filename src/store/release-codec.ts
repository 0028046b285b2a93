// How a release and its bookkeeping are written to and read from Redis: the state without its plan,
// the plan cached once per release, and the replies of the Lua scripts.
import type { Release, ReleasePlan } from '../release/types.ts';
import type { OutboxEffect } from './outbox.ts';
import type { ActionRunStart } from './release-store.ts';
import { deepFreeze } from '../deep-freeze.ts';
import { StoreError } from '../errors.ts';
import { upgradeLegacyOutput } from './legacy-output.ts';

const PLAN_CACHE_SIZE = 5000;

/** The version a decision says is now deployed (its recordDeployed effect), or '' for none. */
export function deployedBy(effects: readonly OutboxEffect[]): string {
  const recorded = effects.find((e) => e.type === 'recordDeployed');
  return recorded?.type === 'recordDeployed' ? recorded.version : '';
}

/**
 * A stored state joined with its plan: from this process's cache, or parsed from Redis (and then
 * cached, frozen: every copy of the release shares it). A release saved before plans were stored
 * apart still carries its plan in its JSON; one saved before action output was data has its fenced
 * output text upgraded (legacy-output.ts).
 */
export function joinPlan(
  plans: Map<string, ReleasePlan>,
  id: string,
  json: string,
  plan: ReleasePlan | string | null,
): Release {
  const state = upgradeLegacyOutput(JSON.parse(json) as Release);
  if (state.plan) return state;
  let parsed = typeof plan === 'string' ? (JSON.parse(plan) as ReleasePlan) : plan;
  if (!parsed) throw new StoreError('missing_plan', `release ${id} has no plan stored`);
  if (typeof plan === 'string') {
    parsed = deepFreeze(parsed);
    plans.set(id, parsed);
    if (plans.size > PLAN_CACHE_SIZE) plans.delete(plans.keys().next().value!);
  }
  return { ...state, plan: parsed };
}

/** begin-run's reply {status, attempt, result JSON, previous owner} as an ActionRunStart. */
export function actionRunStart(key: string, reply: string[]): ActionRunStart {
  const [status, attemptText, resultJson, previousOwner] = reply;
  const attempt = Number(attemptText);
  if (status === 'started') return { status, attempt: 1 };
  if (status === 'resumed' || status === 'busy')
    return previousOwner ? { status, attempt, previousOwner } : { status, attempt };
  if (status === 'done') {
    return resultJson ? { status, attempt, result: JSON.parse(resultJson) as unknown } : { status, attempt };
  }
  throw new StoreError('bad_reply', `begin action run ${key}: unexpected reply from Redis`);
}

/** The release as stored: its state without the plan (the plan is stored once, apart). */
export function stateJson(release: Release): string {
  const { plan: _plan, ...state } = release;
  return JSON.stringify(state);
}

export function asStrings(reply: unknown): string[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((part) => (typeof part === 'string' ? part : String(part)));
}
