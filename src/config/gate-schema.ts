// Runbook gates (SPEC sections 5 and 11): a metric source chosen by its key, with bounds and timing.
import { z } from 'zod';
import { gateSourceSchemas as source } from './gate-sources.ts';
import { jsonPathProblem } from '../metrics/json-path.ts';
import { placeholderProblems, urlSchema } from './values.ts';
import { durationSchema, keyedUnion, stringMap, type RawProblem } from './schema-kit.ts';

/** An http gate's path, read when the file loads: one the sampler cannot follow is a config error. */
const jsonPathSchema = z
  .string()
  .min(1)
  .superRefine((path, ctx) => {
    const problem = jsonPathProblem(path);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

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
  // A value equal to a bound passes, so min = max is a gate that asks for exactly that value.
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    problems.push({
      path: [],
      message: `min (${min}) must not be above max (${max}), or the gate always breaches`,
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
      http: z.strictObject({ url: urlSchema, path: jsonPathSchema, headers: stringMap.optional() }),
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

export type GateConfig = z.infer<typeof gateSchema>;
