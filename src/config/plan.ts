// The machine's view of one resolved environment (ReleasePlan): stages, thresholds, policies and
// one-line descriptions of actions. No URLs with credentials, no secrets: the plan is stored with
// the release and shown on cards, so every description is scrubbed of the runbook's secret values.
import { scrubSecrets } from '../log.ts';
import type { GatePolicy, PlannedStage, ReleasePlan } from '../release/types.ts';
import type { ActionConfig, GateConfig, StageConfig } from './schema.ts';
import type { ResolvedEnvironment } from './resolve.ts';

/** `preflight:<id>` names the check of a pre-flight item, as in runAction effects. */
export const PREFLIGHT_ACTION_PREFIX = 'preflight:';

export function toPlan(resolved: ResolvedEnvironment, secrets: Iterable<string> = []): ReleasePlan {
  const secretList = [...secrets];
  const scrub = (text: string) => scrubSecrets(text, secretList);
  const summaries: Record<string, string> = {};
  for (const [name, action] of Object.entries(resolved.actions))
    summaries[name] = scrub(summarizeAction(action));
  for (const item of resolved.preflight) {
    if (item.check) summaries[`${PREFLIGHT_ACTION_PREFIX}${item.id}`] = scrub(summarizeAction(item.check));
  }
  return {
    stages: resolved.stages.map((stage) =>
      withNaming(toPlannedStage(stage, resolved), stage, resolved.actions),
    ),
    preflight: resolved.preflight.map(({ id, title, manual, required }) => ({ id, title, manual, required })),
    gates: Object.fromEntries(
      Object.entries(resolved.gates).map(([name, gate]) => [name, toGatePolicy(name, gate, scrub)]),
    ),
    approvals: { ...resolved.approvals },
    onBreach: resolved.onBreach,
    rollbackIncident: resolved.rollbackIncident,
    verifyRollback: resolved.verifyRollback,
    actions: Object.keys(resolved.actions),
    actionSummaries: summaries,
  };
}

/** Issue 12: a stage's `name:` and `undo:` as written, on any kind. */
function withNaming(
  planned: PlannedStage,
  stage: StageConfig,
  actions: Record<string, ActionConfig>,
): PlannedStage {
  if (typeof stage === 'string') return planned;
  const undoAction = stage.undo !== undefined ? actions[stage.undo] : undefined;
  return {
    ...planned,
    ...(stage.name !== undefined ? { name: stage.name } : {}),
    ...(stage.undo !== undefined ? { undo: stage.undo } : {}),
    ...(undoAction && 'flag' in undoAction ? { undoFlagOff: true as const } : {}),
  };
}

function toPlannedStage(stage: StageConfig, resolved: ResolvedEnvironment): PlannedStage {
  if (stage === 'deploy') return { kind: 'deploy', action: 'deploy', gates: [] };
  if (stage === 'smoke') return { kind: 'smoke', action: 'smoke', gates: [] };
  if ('deploy' in stage) return { kind: 'deploy', action: 'deploy', gates: stage.gates ?? [] };
  if ('smoke' in stage) return { kind: 'smoke', action: 'smoke', gates: [] };
  if ('flag' in stage) {
    const f = stage;
    return { kind: 'flag', action: f.flag, percent: f.percent, holdMs: f.hold ?? 0, gates: f.gates ?? [] };
  }
  if ('traffic' in stage) {
    return {
      kind: 'traffic',
      percent: stage.traffic,
      holdMs: stage.hold ?? 0,
      gates: stage.gates ?? [],
      // Without a traffic action the ramp is a sequence of watched holds (e.g. the platform ramps itself).
      action: resolved.actions['traffic'] ? 'traffic' : null,
    };
  }
  if ('approval' in stage) return { kind: 'approval', question: stage.approval, gates: [] };
  if ('bake' in stage) return { kind: 'bake', holdMs: stage.bake, gates: stage.gates ?? [] };
  return { kind: 'run', action: stage.run, holdMs: stage.hold ?? 0, gates: stage.gates ?? [] };
}

function toGatePolicy(name: string, gate: GateConfig, scrub: (text: string) => string): GatePolicy {
  const policy: GatePolicy = {
    name,
    forMs: gate.for,
    everyMs: gate.every,
    noData: gate.no_data,
    ...(gate.no_data === 'wait' ? { noDataTimeoutMs: gate.no_data_timeout } : {}),
    source: scrub(describeGateSource(gate)),
  };
  if (gate.min !== undefined) policy.min = gate.min;
  if (gate.max !== undefined) policy.max = gate.max;
  return policy;
}

/** Where a gate's number comes from, for people: the query, the URL and path, or the command. Never a credential. */
export function describeGateSource(gate: GateConfig): string {
  if ('prometheus' in gate) return gate.prometheus.query;
  if ('http' in gate) return `${gate.http.url} → ${gate.http.path}`;
  if ('datadog' in gate) return `Datadog ${gate.datadog.query}`;
  if ('cloudwatch' in gate) {
    const c = gate.cloudwatch;
    if (c.expression !== undefined) return `CloudWatch ${c.expression}`;
    const dims = Object.entries(c.dimensions ?? {}).map(([k, v]) => `${k}=${v}`);
    return `CloudWatch ${c.namespace} ${c.metric}${dims.length ? ` {${dims.join(', ')}}` : ''} ${c.stat}`;
  }
  if ('newrelic' in gate) return `New Relic ${gate.newrelic.nrql}`;
  return gate.command.join(' ');
}

/** One line saying what an action does; placeholders are left as written. Not scrubbed: see toPlan. */
export function summarizeAction(action: ActionConfig): string {
  if ('command' in action) return action.command.join(' ');
  if ('webhook' in action) return `${action.webhook.method} ${action.webhook.url}`;
  if ('http' in action) {
    return action.http.map((check) => `${check.method} ${check.url} → ${check.expect_status}`).join('; ');
  }
  if ('pagerduty' in action) return 'PagerDuty Events API';
  if ('flag' in action) return `${action.flag.provider} flag ${action.flag.key}`;
  return `GitHub Actions ${action.github_actions.repo} ${action.github_actions.workflow}`;
}

/** An action by name, including `preflight:<id>` for a pre-flight item's check. */
export function findAction(resolved: ResolvedEnvironment, name: string): ActionConfig | undefined {
  if (name.startsWith(PREFLIGHT_ACTION_PREFIX)) {
    const id = name.slice(PREFLIGHT_ACTION_PREFIX.length);
    return resolved.preflight.find((item) => item.id === id)?.check;
  }
  return resolved.actions[name];
}
