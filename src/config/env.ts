// The process environment, read once (SPEC section 1). Nothing else reads process.env: everything
// gets what it needs from the object returned here. Every invalid variable is listed in one error,
// with what to do about it, so a start-up fails once, not once per variable.
import { z } from 'zod';
import { looksLikeRedisUrl, parseRedisUrl, redisUrlSecrets, RedisUrlError } from '../redis/redis-url.ts';

export type Mode = 'socket' | 'http' | 'sandbox';

export interface RunwayEnv {
  mode: Mode;
  /** The runbook path; `configPathIsDefault` lets the sandbox use its bundled runbook instead. */
  configPath: string;
  configPathIsDefault: boolean;
  /** Unset: Runway spawns its own redis-server. */
  redisUrl?: string;
  slack: {
    botToken?: string;
    appToken?: string;
    signingSecret?: string;
    /** Always ends with "/". */
    apiUrl: string;
  };
  port: number;
  logLevel: LogLevel;
  /** Unset: the /admin/queues dashboard is off. */
  adminToken?: string;
  /** Key prefix for Redis state and BullMQ queues (default `runway`). */
  prefix: string;
  /** Values to add to the log SecretSet. */
  secrets: string[];
  /** chat.update calls a minute the whole workspace may spend (Slack's Tier 3 is ~50). */
  slackUpdatesPerMinute: number;
  /** The sandbox workspace answers 429 beyond Slack's published limits, as Slack does. */
  sandboxSlackLimits: boolean;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// An empty variable (FOO= in a .env file) means unset.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const envSchema = z.object({
  RUNWAY_CONFIG: optional(z.string()),
  REDIS_URL: optional(
    z
      .string()
      .refine(
        looksLikeRedisUrl,
        'expected a URL like redis://localhost:6379 or redis+sentinel://h1:26379,h2:26379/mymaster',
      )
      .superRefine(checkSentinelUrl),
  ),
  SLACK_BOT_TOKEN: optional(z.string().startsWith('xoxb-', 'expected a bot token starting with xoxb-')),
  SLACK_APP_TOKEN: optional(
    z.string().startsWith('xapp-', 'expected an app-level token starting with xapp- (for Socket Mode)'),
  ),
  SLACK_SIGNING_SECRET: optional(z.string().min(8, 'expected the signing secret from the app settings')),
  SLACK_API_URL: optional(
    z.url({ protocol: /^https?$/, error: 'expected an http(s) URL like https://slack.com/api/' }),
  ),
  PORT: optional(
    z.coerce.number({ error: 'expected a port number' }).int('expected a port number').min(0).max(65535),
  ),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` })),
  RUNWAY_ADMIN_TOKEN: optional(
    z.string().min(16, 'expected at least 16 characters: it guards the queue dashboard'),
  ),
  // Key prefix for Runway's state and BullMQ queues; two Runways may share one Redis with two prefixes.
  RUNWAY_PREFIX: optional(
    z
      .string()
      .regex(/^[A-Za-z0-9_{}-]+$/, 'expected letters, digits, -, _ (and {} for a Redis Cluster hash tag)'),
  ),
  RUNWAY_SLACK_UPDATES_PER_MINUTE: optional(
    z.coerce
      .number({ error: 'expected a number of chat.update calls a minute, like 45' })
      .int('expected a whole number')
      .min(1, 'expected at least 1')
      .max(600, 'expected at most 600'),
  ),
  RUNWAY_SANDBOX_SLACK_LIMITS: optional(z.enum(['0', '1', 'true', 'false'], { error: 'expected 1 or 0' })),
});

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Runway cannot start; fix these environment variables:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    this.name = 'EnvError';
  }
}

/**
 * `workerOnly`: for `runway worker`, which talks to Slack's Web API with the bot token but receives
 * nothing from Slack, so it needs neither the app token nor the signing secret.
 */
export function loadEnv(
  env: Record<string, string | undefined> = process.env,
  options: { workerOnly?: boolean } = {},
): RunwayEnv {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => describeIssue(issue, env));
  const mode = modeOf(parsed.success ? parsed.data : presentOnly(env), options.workerOnly ?? false);
  if (typeof mode !== 'string') problems.push(mode.problem);
  if (!parsed.success || typeof mode !== 'string') throw new EnvError(problems);
  const vars = parsed.data;
  const apiUrl = vars.SLACK_API_URL ?? 'https://slack.com/api/';
  const result: RunwayEnv = {
    mode,
    configPath: vars.RUNWAY_CONFIG ?? './runway.yml',
    configPathIsDefault: vars.RUNWAY_CONFIG === undefined,
    slack: { apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` },
    port: vars.PORT ?? 3000,
    logLevel: vars.LOG_LEVEL ?? 'info',
    prefix: vars.RUNWAY_PREFIX ?? 'runway',
    secrets: [],
    slackUpdatesPerMinute: vars.RUNWAY_SLACK_UPDATES_PER_MINUTE ?? 45,
    sandboxSlackLimits:
      vars.RUNWAY_SANDBOX_SLACK_LIMITS === '1' || vars.RUNWAY_SANDBOX_SLACK_LIMITS === 'true',
  };
  if (vars.REDIS_URL) result.redisUrl = vars.REDIS_URL;
  if (vars.SLACK_BOT_TOKEN) result.slack.botToken = vars.SLACK_BOT_TOKEN;
  if (vars.SLACK_APP_TOKEN) result.slack.appToken = vars.SLACK_APP_TOKEN;
  if (vars.SLACK_SIGNING_SECRET) result.slack.signingSecret = vars.SLACK_SIGNING_SECRET;
  if (vars.RUNWAY_ADMIN_TOKEN) result.adminToken = vars.RUNWAY_ADMIN_TOKEN;
  result.secrets = [
    vars.SLACK_BOT_TOKEN,
    vars.SLACK_APP_TOKEN,
    vars.SLACK_SIGNING_SECRET,
    vars.RUNWAY_ADMIN_TOKEN,
    ...(vars.REDIS_URL ? redisUrlSecrets(vars.REDIS_URL) : []),
  ].filter((v): v is string => v !== undefined && v !== '');
  return result;
}

// Values that are not secrets are quoted back, so a typo is easy to spot.
const SHOWN = new Set([
  'RUNWAY_CONFIG',
  'SLACK_API_URL',
  'PORT',
  'LOG_LEVEL',
  'RUNWAY_PREFIX',
  'RUNWAY_SLACK_UPDATES_PER_MINUTE',
  'RUNWAY_SANDBOX_SLACK_LIMITS',
]);

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? '');
  const got = SHOWN.has(name) ? ` (got "${env[name] ?? ''}")` : '';
  return `${name}: ${issue.message.replace(/^Invalid input: /, '')}${got}`;
}

function presentOnly(
  env: Record<string, string | undefined>,
): Partial<Record<keyof typeof envSchema.shape, string>> {
  const pick = (name: keyof typeof envSchema.shape) => (env[name] === '' ? undefined : env[name]);
  return {
    SLACK_BOT_TOKEN: pick('SLACK_BOT_TOKEN'),
    SLACK_APP_TOKEN: pick('SLACK_APP_TOKEN'),
    SLACK_SIGNING_SECRET: pick('SLACK_SIGNING_SECRET'),
  };
}

/** SPEC section 1: bot + app token → Socket Mode; bot + signing secret → HTTP; neither → sandbox. */
function modeOf(
  vars: {
    SLACK_BOT_TOKEN?: string | undefined;
    SLACK_APP_TOKEN?: string | undefined;
    SLACK_SIGNING_SECRET?: string | undefined;
  },
  workerOnly: boolean,
): Mode | { problem: string } {
  const { SLACK_BOT_TOKEN: bot, SLACK_APP_TOKEN: app, SLACK_SIGNING_SECRET: signing } = vars;
  if (bot && app) return 'socket';
  if (bot && (signing || workerOnly)) return 'http';
  if (bot) {
    return {
      problem:
        'SLACK_BOT_TOKEN: set SLACK_APP_TOKEN too (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode), ' +
        'or unset it to run the local sandbox',
    };
  }
  if (app || signing) {
    const which = app ? 'SLACK_APP_TOKEN' : 'SLACK_SIGNING_SECRET';
    return {
      problem: `${which}: set SLACK_BOT_TOKEN too (the xoxb- token), or unset it to run the local sandbox`,
    };
  }
  return 'sandbox';
}

/** A Sentinel URL's own mistakes (no primary name, a bad host list, an unknown option), said precisely. */
function checkSentinelUrl(url: string, ctx: z.RefinementCtx): void {
  try {
    parseRedisUrl(url);
  } catch (error) {
    if (!(error instanceof RedisUrlError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
}
