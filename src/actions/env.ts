// What a command learns about the release from its environment.
import type { TemplateName, TemplateVars } from '../config/template.ts';

const RUNWAY_VARS: Record<string, TemplateName> = {
  RUNWAY_RELEASE_ID: 'release_id',
  RUNWAY_VERSION: 'version',
  RUNWAY_PREVIOUS_VERSION: 'previous_version',
  RUNWAY_SERVICE: 'service',
  RUNWAY_ENVIRONMENT: 'environment',
  RUNWAY_PERCENT: 'percent',
};

/** RUNWAY_* for every value that is known; unknown ones are left out rather than set empty. */
export function runwayEnv(vars: TemplateVars): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, key] of Object.entries(RUNWAY_VARS)) {
    const value = vars[key];
    if (value !== undefined && value !== null && value !== '') env[name] = String(value);
  }
  return env;
}

/**
 * process env (PATH, HOME, cloud credentials…) + the runbook's env + RUNWAY_*; Runway's own values
 * come last so a runbook cannot shadow them.
 */
export function commandEnv(
  configEnv: Record<string, string> | undefined,
  vars: TemplateVars,
  idempotencyKey?: string,
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...configEnv,
    ...(idempotencyKey ? { RUNWAY_IDEMPOTENCY_KEY: idempotencyKey } : {}),
    ...runwayEnv(vars),
  };
}
