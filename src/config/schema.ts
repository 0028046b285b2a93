// The runbook file (SPEC section 5) as zod schemas: the policies, the settings that may sit at any
// level, and the file. Actions, gates and stages have their own modules; everything else imports its
// types from here. Durations are parsed into milliseconds, so the rest of the code never sees "30m".
import { z } from 'zod';
import { CONTACT_PROBLEM, contactId } from './contact.ts';
import { statuspageSchema } from './statuspage-schema.ts';
import { cronSchema, timezoneSchema, windowSchema } from './values.ts';
import { changelogSchema, githubDeploymentsSchema } from '../insight/config.ts';
import { durationSchema, nameSchema, stringMap, userOrGroupId } from './schema-kit.ts';
import { actionPercentProblems, actionSchema } from './action-schema.ts';
import { gateSchema } from './gate-schema.ts';
import { stageSchema } from './stage-schema.ts';

export { durationSchema, nameSchema } from './schema-kit.ts';
export {
  actionSchema,
  flagSchema,
  githubActionsSchema,
  httpCheckSchema,
  pagerdutySchema,
  webhookSchema,
  type ActionConfig,
  type FlagConfig,
  type GithubActionsConfig,
  type HttpCheck,
  type PagerDutyConfig,
  type WebhookConfig,
} from './action-schema.ts';
export { gateSchema, type GateConfig } from './gate-schema.ts';
export { stageSchema, type StageConfig } from './stage-schema.ts';

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
      for (const p of actionPercentProblems(actions))
        ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
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
export type PreflightItemConfig = z.infer<typeof preflightItemSchema>;
export type Settings = z.infer<typeof settingsSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
export type RunbookFile = z.infer<typeof runbookSchema>;
export type HandoffConfig = z.infer<typeof handoffSchema>;
