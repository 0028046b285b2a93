// The runbook file (SPEC section 5) as zod schemas. Everything else imports its types from here.
// Durations are parsed into milliseconds here, so the rest of the code never sees "30m".
import { z } from 'zod';
import { CONTACT_PROBLEM, contactId } from './contact.ts';
import { parseDuration } from './duration.ts';
import { gateSourceSchemas as source } from './gate-sources.ts';
import { statuspageSchema } from './statuspage-schema.ts';
import {
  cronSchema,
  percentProblems,
  placeholderProblems,
  timezoneSchema,
  urlSchema,
  windowSchema,
} from './values.ts';
import { changelogSchema, githubDeploymentsSchema } from '../insight/config.ts';
import { acceptsOneOf } from './written-as.ts';

// The union's own message matters: inside keyedUnion a union's branch errors would surface as "Invalid input".
export const durationSchema = z
  .union([z.string(), z.number().nonnegative()], { error: 'expected a duration like 500ms, 30s, 5m or 1h' })
  .transform((value, ctx) => {
    if (typeof value === 'number') return value * 1000; // a bare number is seconds
    const ms = parseDuration(value);
    if (ms === null) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration like 500ms, 30s, 5m or 1h, got "${value}"`,
      });
      return z.NEVER;
    }
    return ms;
  });

interface RawProblem {
  path: PropertyKey[];
  message: string;
}

/** Re-raise a nested parse's issues from inside a transform, where they keep their paths. */
function forwardIssues(issues: readonly z.core.$ZodIssue[], ctx: z.RefinementCtx): void {
  for (const issue of issues) {
    // params carry the value-check tag (values.ts) through.
    const params = issue.code === 'custom' ? issue.params : undefined;
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[], params });
  }
}

/**
 * A union chosen by which kind key is present (`command`, `webhook`, …), so an error points at the
 * field that is wrong inside the chosen kind instead of listing every branch that did not match.
 * `check` looks at the raw mapping whatever the kind's schema says, so its problems (placeholders,
 * thresholds) are not held back until the shape is right.
 */
function keyedUnion<const T extends Record<string, z.ZodType>>(
  what: string,
  branches: T,
  check?: (value: Record<string, unknown>) => RawProblem[],
) {
  const kinds = Object.keys(branches);
  const schema = z.unknown().transform((value, ctx): z.output<T[keyof T]> => {
    const mapping =
      value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    const kind = mapping ? kinds.filter((k) => k in mapping) : [];
    let parsed: z.output<T[keyof T]> | typeof z.NEVER = z.NEVER;
    if (kind.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          kind.length === 0
            ? `expected ${what} with one of: ${kinds.join(', ')}`
            : `${what} has more than one kind: ${kind.join(', ')}`,
      });
    } else {
      const result = (branches[kind[0]!] as z.ZodType).safeParse(value);
      if (result.success) parsed = result.data as z.output<T[keyof T]>;
      else forwardIssues(result.error.issues, ctx);
    }
    for (const problem of mapping && check ? check(mapping) : []) {
      ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
    }
    return parsed;
  });
  return acceptsOneOf(schema, Object.values(branches));
}

export const nameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'expected a name of letters, digits, - and _');
const userOrGroupId = z
  .string()
  .regex(/^[USW][A-Z0-9]+$/, 'expected a Slack user ID (U…) or user-group ID (S…)');
const stringMap = z.record(z.string(), z.string());

// ---- actions ------------------------------------------------------------------------------

export const httpCheckSchema = z.strictObject({
  url: urlSchema,
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
  headers: stringMap.optional(),
  body: z.unknown().optional(),
  expect_status: z.number().int().min(100).max(599).default(200),
  expect_json: z.record(z.string(), z.unknown()).optional(),
  timeout: durationSchema.default(10_000),
});

export const webhookSchema = z.strictObject({
  url: urlSchema,
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  headers: stringMap.optional(),
  body: z.unknown().optional(),
  secret: z.string().optional(),
  expect_status: z
    .union([z.number().int(), z.array(z.number().int())], {
      error: 'expected a status code or a list of them',
    })
    .optional(),
  retries: z.number().int().min(0).max(20).default(3),
  timeout: durationSchema.default(30_000),
});

export const pagerdutySchema = z.strictObject({
  routing_key: z.string().min(1),
  url: urlSchema.default('https://events.pagerduty.com/v2/enqueue'),
  severity: z.enum(['critical', 'error', 'warning', 'info']).optional(),
  source: z.string().optional(),
});

export const githubActionsSchema = z.strictObject({
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected owner/name'),
  workflow: z.string().min(1),
  ref: z.string().default('main'),
  inputs: stringMap.optional(),
  token: z.string().min(1),
  api_url: urlSchema.default('https://api.github.com'),
  poll_every: durationSchema.default(10_000),
});

// One check or a list of them: SPEC section 5 writes a pre-flight check as `http: { url, expect_status }`.
// A single check is parsed as written, so its problems point at `http.url`, the line in the file.
const httpCheckListSchema = z.array(httpCheckSchema).min(1);
const httpChecksSchema = z.unknown().transform((value, ctx): HttpCheck[] => {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const single = httpCheckSchema.safeParse(value);
    if (single.success) return [single.data];
    forwardIssues(single.error.issues, ctx);
    return z.NEVER;
  }
  const list = httpCheckListSchema.safeParse(value);
  if (list.success) return list.data;
  forwardIssues(list.error.issues, ctx);
  return z.NEVER;
});
acceptsOneOf(httpChecksSchema, [httpCheckSchema, httpCheckListSchema]);

// Options that sit beside the kind key (`deploy: { command: [...], timeout: 10m }`).
const actionCommon = {
  timeout: durationSchema.optional(),
  retries: z.number().int().min(0).max(20).optional(),
  description: z.string().optional(),
};

// Issue 12: a feature flag in a flag service (src/flags/), turned on at a rollout % and off again.
export const flagSchema = z.discriminatedUnion('provider', [
  z.strictObject({
    provider: z.literal('launchdarkly'),
    key: z.string().min(1),
    project: z.string().min(1),
    environment: z.string().min(1),
    token: z.string().min(1),
    url: urlSchema.default('https://app.launchdarkly.com'),
  }),
  z.strictObject({
    provider: z.literal('unleash'),
    key: z.string().min(1),
    url: urlSchema,
    project: z.string().min(1).default('default'),
    environment: z.string().min(1),
    token: z.string().min(1),
  }),
]);

export const actionSchema = keyedUnion(
  'an action',
  {
    command: z.strictObject({
      command: z.array(z.string()).min(1, 'a command needs at least the program'),
      env: stringMap.optional(),
      cwd: z.string().optional(),
      ...actionCommon,
    }),
    webhook: z.strictObject({ webhook: webhookSchema, ...actionCommon }),
    http: z.strictObject({ http: httpChecksSchema, ...actionCommon }),
    pagerduty: z.strictObject({ pagerduty: pagerdutySchema, ...actionCommon }),
    github_actions: z.strictObject({ github_actions: githubActionsSchema, ...actionCommon }),
    flag: z.strictObject({ flag: flagSchema, ...actionCommon }),
  },
  (action) => placeholderProblems(action),
);

// ---- gates --------------------------------------------------------------------------------

const gateSourceCommon = {
  min: z.number().optional(),
  max: z.number().optional(),
  for: durationSchema.default(0),
  every: durationSchema.default(30_000),
  no_data: z.enum(['breach', 'ignore', 'wait']).default('breach'),
  no_data_timeout: durationSchema.default(10 * 60_000),
  timeout: durationSchema.default(10_000),
};

/** Bounds and sampling that no single field's schema can judge, read from the raw gate. */
function gateBoundsProblems(gate: Record<string, unknown>): RawProblem[] {
  const problems: RawProblem[] = [];
  const { min, max } = gate;
  if (min === undefined && max === undefined)
    problems.push({ path: [], message: 'a gate needs min, max or both' });
  if (typeof min === 'number' && typeof max === 'number' && min >= max) {
    problems.push({
      path: [],
      message: `min (${min}) must be below max (${max}), or the gate always breaches`,
    });
  }
  const every = durationSchema.safeParse(gate['every']);
  if (every.success && every.data <= 0)
    problems.push({ path: ['every'], message: 'every must be more than 0' });
  return problems;
}

export const gateSchema = keyedUnion(
  'a gate',
  {
    prometheus: z.strictObject({ prometheus: source.prometheus, ...gateSourceCommon }),
    datadog: z.strictObject({ datadog: source.datadog, ...gateSourceCommon }),
    cloudwatch: z.strictObject({ cloudwatch: source.cloudwatch, ...gateSourceCommon }),
    newrelic: z.strictObject({ newrelic: source.newrelic, ...gateSourceCommon }),
    http: z.strictObject({
      http: z.strictObject({ url: urlSchema, path: z.string().min(1), headers: stringMap.optional() }),
      ...gateSourceCommon,
    }),
    command: z.strictObject({
      command: z.array(z.string()).min(1),
      env: stringMap.optional(),
      cwd: z.string().optional(),
      ...gateSourceCommon,
    }),
  },
  (gate) => [...placeholderProblems(gate), ...gateBoundsProblems(gate)],
);

// ---- stages -------------------------------------------------------------------------------

const gateList = z.array(nameSchema).optional();
// Issue 12: any stage may be named (the card and thread show the name) and name an undo action.
const stageNaming = { name: z.string().min(1).max(100).optional(), undo: nameSchema.optional() };
const stageObjectSchema = keyedUnion('a stage', {
  traffic: z.strictObject({
    traffic: z.number().min(0).max(100),
    hold: durationSchema.optional(),
    gates: gateList,
    ...stageNaming,
  }),
  approval: z.strictObject({ approval: z.string().min(1).max(300), ...stageNaming }),
  bake: z.strictObject({ bake: durationSchema, gates: gateList, ...stageNaming }),
  run: z.strictObject({ run: nameSchema, gates: gateList, hold: durationSchema.optional(), ...stageNaming }),
  // Issue 12: `deploy` / `smoke` written as mappings, to carry a name or an undo.
  deploy: z.strictObject({ deploy: z.literal(true), gates: gateList, ...stageNaming }),
  smoke: z.strictObject({ smoke: z.literal(true), ...stageNaming }),
  flag: z.strictObject({
    flag: nameSchema,
    percent: z
      .number()
      .gt(0, 'percent must be between 1 and 100')
      .max(100, 'percent must be between 1 and 100'),
    hold: durationSchema.optional(),
    gates: gateList,
    ...stageNaming,
  }),
});
export const stageSchema = z.union([z.enum(['deploy', 'smoke']), stageObjectSchema]);

// ---- policies -----------------------------------------------------------------------------

export const approvalsSchema = z.strictObject({
  required: z.number().int().min(0).max(10).optional(),
  approvers: z.array(userOrGroupId).optional(),
  operators: z.array(userOrGroupId).optional(),
  allow_self_approval: z.boolean().optional(),
});

export const windowsSchema = z.strictObject({
  timezone: timezoneSchema.optional(),
  allow: z.array(windowSchema).optional(),
});

export const channelsSchema = z.strictObject({
  releases: z.string().optional(),
  on_call: z.string().optional(),
  incidents: z.string().optional(),
});

export const preflightItemSchema = z
  .strictObject({
    id: nameSchema,
    title: z.string().min(1).max(150),
    manual: z.boolean().default(false),
    required: z.boolean().default(true),
    check: actionSchema.optional(),
  })
  .refine((p) => p.manual || p.check !== undefined, {
    message: 'a pre-flight item is manual: true or has a check',
  })
  .refine((p) => !(p.manual && p.check !== undefined), {
    message: 'a pre-flight item is manual or has a check, not both',
  });

/** Everything that may sit under defaults, a service or an environment; the most specific wins. */
export const settingsShape = {
  channels: channelsSchema.optional(),
  approvals: approvalsSchema.optional(),
  windows: windowsSchema.optional(),
  preflight: z.array(preflightItemSchema).optional(),
  actions: z
    .record(nameSchema, actionSchema)
    // Among actions only the traffic action is given a percent (gates get the current traffic).
    // (Checked on the whole map, which knows the names:
    // it is not reached while another action is malformed; that one is reported first.)
    .superRefine((actions, ctx) => {
      for (const [name, action] of Object.entries(actions)) {
        if (name === 'traffic') continue;
        for (const p of percentProblems(action, [name]))
          ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
      }
    })
    .optional(),
  gates: z.record(nameSchema, gateSchema).optional(),
  stages: z.array(stageSchema).optional(),
  on_breach: z.enum(['rollback', 'pause']).optional(),
  rollback_incident: z.enum(['sev1', 'sev2', 'sev3', 'sev4', 'none']).optional(),
  verify_rollback: z.boolean().optional(),
  // Guards (SPEC section 10): no starts while an incident this severe or worse is open.
  freeze_on_incident: z.enum(['sev1', 'sev2', 'sev3', 'sev4']).optional(),
  previous_version: z.string().optional(),
  links: stringMap.optional(),
  on_call_contact: z
    .string()
    .refine((text) => contactId(text) !== null, { message: CONTACT_PROBLEM })
    .optional(),
  changelog: changelogSchema.optional(),
  github_deployments: githubDeploymentsSchema.optional(),
  // Promotion (SPEC section 10): a start here needs this version completed in promote_from, soak ago.
  promote_from: nameSchema.optional(),
  soak: durationSchema.optional(),
};
export const settingsSchema = z.strictObject(settingsShape);

export const serviceSchema = z.strictObject({
  ...settingsShape,
  description: z.string().optional(),
  environments: z.record(nameSchema, settingsSchema).optional(),
});

export const handoffSchema = z.strictObject({
  schedule: cronSchema.optional(),
  timezone: timezoneSchema.default('UTC'),
  links: stringMap.optional(),
  checklist: z.array(z.string()).optional(),
  reminder_minutes: z.number().positive().optional(),
});

export const incidentsSchema = z.strictObject({
  sev1_reminder: durationSchema.default(15 * 60_000),
  channel_prefix: z.string().default('inc'),
  statuspage: statuspageSchema.optional(),
});

export const runbookSchema = z.strictObject({
  version: z.literal(1),
  defaults: z.strictObject({ ...settingsShape, environment: nameSchema.optional() }).optional(),
  channels: channelsSchema.optional(),
  services: z.record(nameSchema, serviceSchema).refine((s) => Object.keys(s).length > 0, {
    message: 'at least one service is needed',
  }),
  handoff: handoffSchema.optional(),
  incidents: incidentsSchema.optional(),
});

export type Duration = number;
export type ActionConfig = z.infer<typeof actionSchema>;
export type HttpCheck = z.infer<typeof httpCheckSchema>;
export type WebhookConfig = z.infer<typeof webhookSchema>;
export type PagerDutyConfig = z.infer<typeof pagerdutySchema>;
export type GithubActionsConfig = z.infer<typeof githubActionsSchema>;
export type FlagConfig = z.infer<typeof flagSchema>;
export type GateConfig = z.infer<typeof gateSchema>;
export type StageConfig = z.infer<typeof stageSchema>;
export type PreflightItemConfig = z.infer<typeof preflightItemSchema>;
export type Settings = z.infer<typeof settingsSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
export type RunbookFile = z.infer<typeof runbookSchema>;
export type HandoffConfig = z.infer<typeof handoffSchema>;
