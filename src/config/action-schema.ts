// Runbook actions (SPEC section 5 and 10): command, webhook, http checks, PagerDuty, GitHub Actions
// and feature flags, each chosen by its kind key.
import { z } from 'zod';
import { percentProblems, placeholderProblems, urlSchema } from './values.ts';
import { acceptsOneOf } from './written-as.ts';
import { durationSchema, forwardIssues, keyedUnion, stringMap } from './schema-kit.ts';

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

/** Problems of actions other than traffic that use {{percent}} (only the traffic action is given one). */
export function actionPercentProblems(
  actions: Record<string, ActionConfig>,
): { path: PropertyKey[]; message: string }[] {
  return Object.entries(actions).flatMap(([name, action]) =>
    name === 'traffic' ? [] : percentProblems(action, [name]),
  );
}

export type ActionConfig = z.infer<typeof actionSchema>;
export type HttpCheck = z.infer<typeof httpCheckSchema>;
export type WebhookConfig = z.infer<typeof webhookSchema>;
export type PagerDutyConfig = z.infer<typeof pagerdutySchema>;
export type GithubActionsConfig = z.infer<typeof githubActionsSchema>;
export type FlagConfig = z.infer<typeof flagSchema>;
