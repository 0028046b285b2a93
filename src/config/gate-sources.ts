// The bodies of the gate sources (SPEC sections 5 and 11): what sits under `prometheus:`, `datadog:`,
// `cloudwatch:`, `newrelic:`. Credentials are plain strings here; loadRunbook registers them as secrets.
import { z } from 'zod';
import { formatDuration, parseDuration } from './duration.ts';
import { urlSchema } from './values.ts';

const stringMap = z.record(z.string(), z.string());
const secretString = z.string().min(1, 'expected a non-empty credential (write it as "${ENV_NAME}")');

// A copy of schema.ts's duration (which imports this file): seconds as a bare number, or "30s".
const duration = z
  .union([z.string(), z.number().positive()], { error: 'expected a duration like 30s, 5m or 1h' })
  .transform((value, ctx) => {
    const ms = typeof value === 'number' ? value * 1000 : parseDuration(value);
    if (ms === null || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `expected a duration like 30s, 5m or 1h, got "${value}"` });
      return z.NEVER;
    }
    return ms;
  });

export const prometheusSourceSchema = z
  .strictObject({
    url: urlSchema,
    query: z.string().min(1),
    headers: stringMap.optional(),
    bearer_token: secretString.optional(),
    // Grafana Cloud's usernames are numbers (an instance id), often written unquoted.
    basic_auth: z
      .strictObject({
        username: z.union([z.string().min(1), z.number().int().transform(String)]),
        password: secretString,
      })
      .optional(),
  })
  .superRefine((p, ctx) => {
    const given = [
      p.bearer_token !== undefined && 'bearer_token',
      p.basic_auth !== undefined && 'basic_auth',
      Object.keys(p.headers ?? {}).some((h) => h.toLowerCase() === 'authorization') &&
        'headers.Authorization',
    ].filter((x): x is string => typeof x === 'string');
    if (given.length > 1)
      ctx.addIssue({ code: 'custom', message: `use one of ${given.join(', ')}: each sets Authorization` });
  });

// A site is a host name (datadoghq.com, datadoghq.eu, us3.datadoghq.com, ddog-gov.com …), not a URL.
const siteSchema = z
  .string()
  .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'expected a Datadog site like datadoghq.com or datadoghq.eu');

export const datadogSourceSchema = z.strictObject({
  query: z.string().min(1),
  site: siteSchema.default('datadoghq.com'),
  api_key: secretString,
  app_key: secretString,
  /** The query's time range, ending now; the gate's `every` when absent. */
  window: duration.optional(),
  /** Replaces https://api.<site> (a proxy, or a test's fake). */
  url: urlSchema.optional(),
});

// Statistics GetMetricData takes: the five basic ones and the percentile family (p99, tm90, PR(:300) …).
const STAT =
  /^(Average|Sum|Minimum|Maximum|SampleCount|IQM|(p|tm|wm|tc|ts)\d+(\.\d+)?|(PR|TM|WM|TC|TS)\(.+\))$/;
const statSchema = z
  .string()
  .regex(STAT, 'expected a statistic: Average, Sum, Minimum, Maximum, SampleCount or a percentile like p99');
const regionSchema = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region like us-east-1');
// GetMetricData accepts 1, 5, 10, 30 s (high resolution) or a multiple of 60 s.
const periodSchema = duration.refine(
  (ms) => [1000, 5000, 10_000, 30_000].includes(ms) || (ms % 60_000 === 0 && ms > 0),
  'a CloudWatch period is 1s, 5s, 10s, 30s or a multiple of 60s',
);

const cloudwatchCommon = {
  region: regionSchema,
  period: periodSchema.default(60_000),
  /** How far back to look for the newest datapoint; five periods when absent. */
  window: duration.optional(),
  /** Replaces the regional service URL (a VPC endpoint, LocalStack, a test's fake). */
  endpoint: urlSchema.optional(),
};

// One shape with a check rather than a union, so a mistake points at its field instead of "no branch".
export const cloudwatchSourceSchema = z
  .strictObject({
    ...cloudwatchCommon,
    expression: z.string().min(1).optional(),
    namespace: z.string().min(1).optional(),
    metric: z.string().min(1).optional(),
    dimensions: stringMap.optional(),
    stat: statSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.window !== undefined && c.window < c.period)
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: `a window of ${formatDuration(c.window)} is shorter than the period (${formatDuration(c.period)}): no datapoint would ever fall in it`,
      });
    const metricFields = (['namespace', 'metric', 'dimensions', 'stat'] as const).filter(
      (k) => c[k] !== undefined,
    );
    if (c.expression !== undefined) {
      if (metricFields.length > 0)
        ctx.addIssue({
          code: 'custom',
          message: `an expression stands alone: drop ${metricFields.join(', ')} (or the expression)`,
        });
      return;
    }
    for (const field of ['namespace', 'metric', 'stat'] as const) {
      if (c[field] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `a metric needs ${field} (or write a Metrics Insights expression instead)`,
        });
    }
  });

/** `${NR_ACCOUNT_ID}` is substituted as text: digits are the same account id as a bare number. */
export const accountIdSchema = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
  z.number().int().positive(),
);

export const newrelicSourceSchema = z.strictObject({
  account_id: accountIdSchema,
  api_key: secretString,
  nrql: z.string().min(1),
  region: z.enum(['us', 'eu']).default('us'),
  /** Replaces https://api.newrelic.com or https://api.eu.newrelic.com. */
  url: urlSchema.optional(),
});

export const gateSourceSchemas = {
  prometheus: prometheusSourceSchema,
  datadog: datadogSourceSchema,
  cloudwatch: cloudwatchSourceSchema,
  newrelic: newrelicSourceSchema,
};

export type PrometheusSource = z.infer<typeof prometheusSourceSchema>;
export type DatadogSource = z.infer<typeof datadogSourceSchema>;
export type CloudwatchSource = z.infer<typeof cloudwatchSourceSchema>;
export type NewrelicSource = z.infer<typeof newrelicSourceSchema>;
