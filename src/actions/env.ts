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

/** Runway's own credentials: a deploy script has no business holding the bot's Slack tokens. */
const WITHHELD = [
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'RUNWAY_ADMIN_TOKEN',
  'REDIS_URL',
];

/** The process environment a command inherits: everything but Runway's own credentials. */
export function inheritedEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of WITHHELD) delete copy[name];
  return copy;
}

/**
 * process env (PATH, HOME, cloud credentials…) minus Runway's own credentials + the runbook's env +
 * RUNWAY_*; Runway's own values come last so a runbook cannot shadow them.
 */
export function commandEnv(
  configEnv: Record<string, string> | undefined,
  vars: TemplateVars,
  idempotencyKey?: string,
): NodeJS.ProcessEnv {
  return {
    ...inheritedEnv(),
    ...configEnv,
    ...(idempotencyKey ? { RUNWAY_IDEMPOTENCY_KEY: idempotencyKey } : {}),
    ...runwayEnv(vars),
  };
}
