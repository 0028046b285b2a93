// Checks zod cannot make alone: names that must refer to something defined (after inheritance),
// placeholders, windows, time zones, cron. Each problem points at the line that wrote the value;
// a value inherited by several environments says which one it breaks.
import { validate as isValidCron } from 'node-cron';
import type { ActionConfig, GateConfig, PreflightItemConfig, Settings, StageConfig } from './schema.ts';
import { mergeLayers } from './merge.ts';
import { layersFor, listTargets, type Runbook, type Target } from './targets.ts';
import { TEMPLATE_NAMES, unknownPlaceholders } from './template.ts';
import { isValidTimezone, parseWindow } from './windows.ts';

export function crossReferenceProblems(runbook: Runbook): string[] {
  const problems = [
    ...fileProblems(runbook),
    ...listTargets(runbook).flatMap((t) => targetProblems(runbook, t)),
  ];
  return [...new Set(problems)];
}

// ---- values checked where they are written --------------------------------------------------

function fileProblems(runbook: Runbook): string[] {
  const problems: string[] = [];
  const blocks: { path: string; settings: Settings }[] = [];
  if (runbook.defaults) blocks.push({ path: 'defaults', settings: runbook.defaults });
  for (const [name, service] of Object.entries(runbook.services)) {
    blocks.push({ path: `services.${name}`, settings: service });
    if (service.environments && Object.keys(service.environments).length === 0) {
      problems.push(
        `services.${name}.environments: no environments; name at least one, or remove the key to use ` +
          `defaults.environment (${runbook.defaults?.environment ?? 'production'})`,
      );
    }
    for (const [env, settings] of Object.entries(service.environments ?? {})) {
      blocks.push({ path: `services.${name}.environments.${env}`, settings });
    }
  }
  for (const block of blocks) problems.push(...settingsProblems(block.path, block.settings));

  const handoff = runbook.handoff;
  if (handoff?.schedule !== undefined && !isValidCron(handoff.schedule)) {
    problems.push(
      `handoff.schedule: "${handoff.schedule}" is not a cron expression ` +
        `(minute hour day-of-month month weekday, like "0 9 * * 1-5")`,
    );
  }
  if (handoff && !isValidTimezone(handoff.timezone))
    problems.push(timezoneProblem('handoff.timezone', handoff.timezone));
  return problems;
}

function settingsProblems(path: string, settings: Settings): string[] {
  const problems: string[] = [];
  for (const [name, action] of Object.entries(settings.actions ?? {})) {
    problems.push(...placeholderProblems(`${path}.actions.${name}`, action));
  }
  for (const [name, gate] of Object.entries(settings.gates ?? {})) {
    problems.push(
      ...placeholderProblems(`${path}.gates.${name}`, gate),
      ...thresholdProblems(`${path}.gates.${name}`, gate),
    );
  }
  problems.push(...preflightProblems(`${path}.preflight`, settings.preflight ?? []));
  const timezone = settings.windows?.timezone;
  if (timezone !== undefined && !isValidTimezone(timezone)) {
    problems.push(timezoneProblem(`${path}.windows.timezone`, timezone));
  }
  (settings.windows?.allow ?? []).forEach((text, i) => {
    const parsed = parseWindow(text);
    if (!parsed.ok) problems.push(`${path}.windows.allow.${i}: ${parsed.error}`);
  });
  return problems;
}

function preflightProblems(path: string, items: PreflightItemConfig[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id))
      problems.push(`${path}.${i}.id: "${item.id}" is used by an earlier pre-flight item`);
    seen.add(item.id);
    if (item.check) problems.push(...placeholderProblems(`${path}.${i}.check`, item.check));
  });
  return problems;
}

function placeholderProblems(path: string, value: ActionConfig | GateConfig): string[] {
  return stringsWithPaths(value, path).flatMap(([at, text]) =>
    unknownPlaceholders(text).map(
      (name) => `${at}: unknown placeholder {{${name}}} (known: ${TEMPLATE_NAMES.join(', ')})`,
    ),
  );
}

function thresholdProblems(path: string, gate: GateConfig): string[] {
  if (gate.min !== undefined && gate.max !== undefined && gate.min >= gate.max) {
    return [`${path}: min (${gate.min}) must be below max (${gate.max}), or the gate always breaches`];
  }
  return [];
}

function timezoneProblem(path: string, zone: string): string {
  return `${path}: unknown time zone "${zone}" (use an IANA name like America/Los_Angeles, Europe/Paris or UTC)`;
}

function stringsWithPaths(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsWithPaths(v, `${path}.${i}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => stringsWithPaths(v, `${path}.${k}`));
  }
  return [];
}

// ---- references checked per service × environment, after inheritance ------------------------

function targetProblems(runbook: Runbook, target: Target): string[] {
  const { settings, origins } = mergeLayers(layersFor(runbook, target.service, target.environment));
  const ownPath = runbook.services[target.service]?.environments
    ? `services.${target.service}.environments.${target.environment}`
    : `services.${target.service}`;
  const problems: string[] = [];
  // A value written above the target (defaults, the service) may be fine elsewhere: name the target.
  const report = (at: string, message: string) =>
    problems.push(
      at === ownPath || at.startsWith(`${ownPath}.`)
        ? `${at}: ${message}`
        : `${at}: ${message} (in ${target.service}/${target.environment})`,
    );

  const actions = settings.actions ?? {};
  const gates = settings.gates ?? {};
  const stages = settings.stages ?? [];
  const stagesAt = origins['stages'] ?? `${ownPath}.stages`;
  if (stages.length === 0) {
    report(
      origins['stages'] ?? ownPath,
      'no stages: list them under the environment, the service or defaults (e.g. [deploy, smoke])',
    );
  }
  stages.forEach((stage, i) => {
    for (const [at, message] of stageProblems(stage, actions, gates))
      report(`${stagesAt}.${i}${at}`, message);
  });

  const actionsAt = origins['actions'] ?? `${ownPath}.actions`;
  if (stages.length > 0 && !actions['rollback'] && !actions['traffic']) {
    report(actionsAt, 'no "rollback" or "traffic" action: a rollback would have nothing to run');
  }
  if (settings.verify_rollback && !actions['smoke']) {
    report(origins['verify_rollback'] ?? ownPath, 'verify_rollback needs a "smoke" action to verify with');
  }

  const approvals = settings.approvals;
  const listedUsers = (approvals?.approvers ?? []).filter((id) => id.startsWith('U') || id.startsWith('W'));
  const required = approvals?.required ?? 1;
  if (
    listedUsers.length > 0 &&
    listedUsers.length === approvals?.approvers?.length &&
    listedUsers.length < required
  ) {
    report(
      origins['approvals.required'] ?? `${ownPath}.approvals`,
      `${required} approvals are required but only ${listedUsers.length} ${listedUsers.length === 1 ? 'approver is' : 'approvers are'} listed`,
    );
  }
  return problems;
}

/** [path suffix inside the stage, message] pairs. */
function stageProblems(
  stage: StageConfig,
  actions: Record<string, ActionConfig>,
  gates: Record<string, GateConfig>,
): [string, string][] {
  if (stage === 'deploy' || stage === 'smoke') {
    return actions[stage] ? [] : [['', `a ${stage} stage needs a "${stage}" action`]];
  }
  const problems: [string, string][] = [];
  if ('run' in stage && !actions[stage.run]) {
    problems.push(['.run', `no action named "${stage.run}" (${defined('actions', actions)})`]);
  }
  const stageGates = 'gates' in stage ? (stage.gates ?? []) : [];
  stageGates.forEach((name, j) => {
    if (!gates[name]) problems.push([`.gates.${j}`, `no gate named "${name}" (${defined('gates', gates)})`]);
  });
  return problems;
}

function defined(what: string, map: Record<string, unknown>): string {
  const names = Object.keys(map);
  return names.length === 0 ? `no ${what} are defined` : `defined: ${names.join(', ')}`;
}
