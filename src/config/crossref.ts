// Checks that need more than one value: names that must refer to something defined after
// inheritance (a stage's action and gates), pre-flight ids unique in their list, an environments
// map naming none. They read the raw document defensively, so they run even when the schema found
// problems elsewhere and one `runway check` reports both. A part too malformed to read is skipped
// and the checks that need it stay quiet: the schema has already said what is wrong with it.
// Each problem points at the line that wrote the value; a value inherited by several environments
// says which one it breaks.
import { stageRefProblems } from './stage-refs.ts';
import { z } from 'zod';
import { mergeLayers } from './merge.ts';
import { approvalsSchema, nameSchema } from './schema.ts';

type Mapping = Record<string, unknown>;

/** The settings these checks read, each present only when well-formed enough to read. */
interface ReadSettings {
  /** Names → the action as written: one with a malformed body is still defined. */
  actions?: Mapping;
  gates?: Mapping;
  /** Read entry by entry, so one bad stage does not hide the others' problems. */
  stages?: unknown[];
  verify_rollback?: boolean;
  approvals?: { required?: number; approvers?: string[] };
}

interface ReadLayer {
  path: string;
  settings: ReadSettings;
  /** Fields this layer writes ("stages", "approvals.required"), and those it writes malformed. */
  written: Set<string>;
  malformed: Set<string>;
}

interface RawTarget {
  service: string;
  environment: string;
  /** Where the target's own settings sit. */
  ownPath: string;
  layers: ReadLayer[];
}

export function crossReferenceProblems(raw: unknown): string[] {
  const root = asMapping(raw);
  const services = asMapping(root?.['services']);
  if (!root || !services) return [];
  const defaults = root['defaults'];
  const problems = [
    ...blockProblems(root, services),
    // Every target inherits from defaults: unreadable defaults make every reference unknown.
    ...(defaults === undefined || asMapping(defaults)
      ? rawTargets(root, services).flatMap(targetProblems)
      : []),
  ];
  return [...new Set(problems)];
}

// ---- values checked where they are written --------------------------------------------------

function blockProblems(root: Mapping, services: Mapping): string[] {
  const problems = preflightProblems('defaults', asMapping(root['defaults']));
  for (const [name, value] of Object.entries(services)) {
    const service = asMapping(value);
    problems.push(...preflightProblems(`services.${name}`, service));
    const environments = asMapping(service?.['environments']);
    if (environments && Object.keys(environments).length === 0) {
      problems.push(
        `services.${name}.environments: no environments; name at least one, or remove the key to use ` +
          `defaults.environment (${defaultEnvironment(root) ?? 'production'})`,
      );
    }
    for (const [env, settings] of Object.entries(environments ?? {})) {
      problems.push(...preflightProblems(`services.${name}.environments.${env}`, asMapping(settings)));
    }
  }
  return problems;
}

function preflightProblems(path: string, block: Mapping | null): string[] {
  const items = block?.['preflight'];
  if (!Array.isArray(items)) return [];
  const problems: string[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const id = asMapping(item)?.['id'];
    if (!isName(id)) return;
    if (seen.has(id))
      problems.push(`${path}.preflight.${i}.id: "${id}" is used by an earlier pre-flight item`);
    seen.add(id);
  });
  return problems;
}

// ---- reading the raw document ---------------------------------------------------------------

/** defaults.environment, 'production' when absent, null when malformed. */
function defaultEnvironment(root: Mapping): string | null {
  const written = asMapping(root['defaults'])?.['environment'];
  if (written === undefined) return 'production';
  return isName(written) ? written : null;
}

function rawTargets(root: Mapping, services: Mapping): RawTarget[] {
  const defaults = asMapping(root['defaults']);
  const inherited = defaults ? [readLayer('defaults', defaults)] : [];
  const targets: RawTarget[] = [];
  for (const [service, value] of Object.entries(services)) {
    const settings = asMapping(value);
    if (!settings) continue;
    const layers = [...inherited, readLayer(`services.${service}`, settings)];
    if (settings['environments'] === undefined) {
      const environment = defaultEnvironment(root);
      if (environment !== null)
        targets.push({ service, environment, ownPath: `services.${service}`, layers });
      continue;
    }
    for (const [environment, envValue] of Object.entries(asMapping(settings['environments']) ?? {})) {
      const envSettings = asMapping(envValue);
      if (!envSettings) continue;
      const ownPath = `services.${service}.environments.${environment}`;
      targets.push({ service, environment, ownPath, layers: [...layers, readLayer(ownPath, envSettings)] });
    }
  }
  return targets;
}

const anyMapping = z.record(z.string(), z.unknown());
const anyList = z.array(z.unknown());

function readLayer(path: string, raw: Mapping): ReadLayer {
  const settings: ReadSettings = {};
  const written = new Set<string>();
  const malformed = new Set<string>();
  const read = <T>(field: string, value: unknown, schema: z.ZodType<T>, keep: (value: T) => void) => {
    if (value === undefined) return;
    written.add(field);
    const parsed = schema.safeParse(value);
    if (parsed.success) keep(parsed.data);
    else malformed.add(field);
  };
  read('actions', raw['actions'], anyMapping, (v) => (settings.actions = v));
  read('gates', raw['gates'], anyMapping, (v) => (settings.gates = v));
  read('stages', raw['stages'], anyList, (v) => (settings.stages = v));
  read('verify_rollback', raw['verify_rollback'], z.boolean(), (v) => (settings.verify_rollback = v));
  if (raw['approvals'] !== undefined) {
    const approvals: NonNullable<ReadSettings['approvals']> = {};
    // Unreadable approvals (null here) hide both fields the approvals check needs.
    const given = asMapping(raw['approvals']) ?? { required: null, approvers: null };
    const { required, approvers } = approvalsSchema.shape;
    read('approvals.required', given['required'], required, (v) => (approvals.required = v));
    read('approvals.approvers', given['approvers'], approvers, (v) => (approvals.approvers = v));
    settings.approvals = approvals;
  }
  return { path, settings, written, malformed };
}

// Fields merged key by key: a malformed one in any layer may have named anything.
const MERGED_BY_KEY = new Set(['actions', 'gates']);

/** The fields whose merged value cannot be known for a target, because a layer wrote them malformed. */
function unknownFields(layers: readonly ReadLayer[]): Set<string> {
  const unknown = new Set<string>();
  for (const layer of layers) {
    for (const field of layer.written) {
      if (layer.malformed.has(field)) unknown.add(field);
      // A well-formed, more specific value replaces a malformed one.
      else if (!MERGED_BY_KEY.has(field)) unknown.delete(field);
    }
  }
  return unknown;
}

// ---- references checked per service × environment, after inheritance ------------------------

function targetProblems(target: RawTarget): string[] {
  const { settings, origins } = mergeLayers(target.layers);
  const unknown = unknownFields(target.layers);
  const { ownPath } = target;
  const problems: string[] = [];
  // A value written above the target (defaults, the service) may be fine elsewhere: name the target.
  const report = (at: string, message: string) =>
    problems.push(
      at === ownPath || at.startsWith(`${ownPath}.`)
        ? `${at}: ${message}`
        : `${at}: ${message} (in ${target.service}/${target.environment})`,
    );

  // null: unknown, so references into it are not checked.
  const actions = unknown.has('actions') ? null : (settings.actions ?? {});
  const gates = unknown.has('gates') ? null : (settings.gates ?? {});

  if (!unknown.has('stages')) {
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
    if (stages.length > 0 && actions && !has(actions, 'rollback') && !has(actions, 'traffic')) {
      report(
        origins['actions'] ?? `${ownPath}.actions`,
        'no "rollback" or "traffic" action: a rollback would have nothing to run',
      );
    }
  }

  if (settings.verify_rollback && !unknown.has('verify_rollback') && actions && !has(actions, 'smoke')) {
    report(origins['verify_rollback'] ?? ownPath, 'verify_rollback needs a "smoke" action to verify with');
  }

  const approvals = settings.approvals;
  const listedUsers = (approvals?.approvers ?? []).filter((id) => id.startsWith('U') || id.startsWith('W'));
  const required = approvals?.required ?? 1;
  if (
    !unknown.has('approvals.required') &&
    !unknown.has('approvals.approvers') &&
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

/** [path suffix inside the stage, message] pairs, for a stage as written. */
function stageProblems(stage: unknown, actions: Mapping | null, gates: Mapping | null): [string, string][] {
  if (stage === 'deploy' || stage === 'smoke') {
    return actions && !has(actions, stage) ? [['', `a ${stage} stage needs a "${stage}" action`]] : [];
  }
  // Anything else that is not a mapping is the schema's to report.
  const written = asMapping(stage);
  if (!written) return [];
  const problems: [string, string][] = stageRefProblems(written, actions, isName, (m) =>
    defined('actions', m),
  );
  const run = written['run'];
  if (actions && isName(run) && !has(actions, run)) {
    problems.push(['.run', `no action named "${run}" (${defined('actions', actions)})`]);
  }
  const stageGates = written['gates'];
  if (gates && Array.isArray(stageGates)) {
    stageGates.forEach((name: unknown, j) => {
      if (isName(name) && !has(gates, name)) {
        problems.push([`.gates.${j}`, `no gate named "${name}" (${defined('gates', gates)})`]);
      }
    });
  }
  return problems;
}

function defined(what: string, map: Mapping): string {
  const names = Object.keys(map);
  return names.length === 0 ? `no ${what} are defined` : `defined: ${names.join(', ')}`;
}

// ---- small readers --------------------------------------------------------------------------

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asMapping(value: unknown): Mapping | null {
  return isMapping(value) ? value : null;
}

/** A well-formed name; a malformed one is the schema's to report, never "not defined" as well. */
function isName(value: unknown): value is string {
  return nameSchema.safeParse(value).success;
}

// Own keys only: a stage running "constructor" must not find Object.prototype's.
function has(map: Mapping, name: string): boolean {
  return Object.hasOwn(map, name);
}
