// Which service × environment pairs a runbook defines, and the layers of settings each one inherits:
// top-level `channels`, then `defaults`, then the service, then the environment (most specific last).
import type { RunbookFile, Settings } from './schema.ts';

export type Runbook = RunbookFile;

export interface Target {
  service: string;
  environment: string;
}

export interface Layer {
  /** Where the layer sits in the file: "", "defaults", "services.checkout", "services.checkout.environments.production". */
  path: string;
  settings: Settings;
}

export function defaultEnvironment(runbook: Runbook): string {
  return runbook.defaults?.environment ?? 'production';
}

/** The service's name when the runbook has exactly one, so commands may leave it out. */
export function soleService(runbook: Runbook): string | null {
  const names = Object.keys(runbook.services);
  return names.length === 1 ? names[0]! : null;
}

/** A service's environments: the keys of its `environments`, or just `defaults.environment`. */
export function environmentsOf(runbook: Runbook, service: string): string[] {
  const environments = runbook.services[service]?.environments;
  return environments ? Object.keys(environments) : [defaultEnvironment(runbook)];
}

export function listTargets(runbook: Runbook): Target[] {
  return Object.keys(runbook.services).flatMap((service) =>
    environmentsOf(runbook, service).map((environment) => ({ service, environment })),
  );
}

/**
 * The target a command means, filling in what it left out (the sole service, the default
 * environment), or a sentence saying what is wrong.
 */
export function findTarget(
  runbook: Runbook,
  wanted: { service?: string; environment?: string },
): { ok: true; target: Target } | { ok: false; error: string } {
  const services = Object.keys(runbook.services);
  const service = wanted.service ?? soleService(runbook);
  if (service === null) {
    return { ok: false, error: `Which service? The runbook has ${services.join(', ')}.` };
  }
  if (!runbook.services[service]) {
    return {
      ok: false,
      error: `There is no service "${service}" in the runbook; it has ${services.join(', ')}.`,
    };
  }
  const environment = wanted.environment ?? defaultEnvironment(runbook);
  const environments = environmentsOf(runbook, service);
  if (!environments.includes(environment)) {
    return {
      ok: false,
      error: `${service} has no environment "${environment}"; it has ${environments.join(', ')}.`,
    };
  }
  return { ok: true, target: { service, environment } };
}

/** The settings layers for one target, least specific first. Throws for a target the runbook lacks. */
export function layersFor(runbook: Runbook, service: string, environment: string): Layer[] {
  const svc = runbook.services[service];
  if (!svc || !environmentsOf(runbook, service).includes(environment)) {
    throw new Error(`the runbook has no ${service}/${environment}`);
  }
  const layers: Layer[] = [];
  if (runbook.channels) layers.push({ path: '', settings: { channels: runbook.channels } });
  if (runbook.defaults) layers.push({ path: 'defaults', settings: runbook.defaults });
  layers.push({ path: `services.${service}`, settings: svc });
  const env = svc.environments?.[environment];
  if (env) layers.push({ path: `services.${service}.environments.${environment}`, settings: env });
  return layers;
}
