// One entry point for every gate source; it never throws, so a broken source is a missing reading.
import type { GateConfig } from '../config/schema.ts';
import { secrets } from '../log.ts';
import { sampleCloudwatch } from './cloudwatch.ts';
import { sampleCommandGate, type CommandGateOptions } from './command.ts';
import { sampleDatadog } from './datadog.ts';
import { sampleHttpGate } from './http.ts';
import { sampleNewrelic } from './newrelic.ts';
import { samplePrometheus } from './prometheus.ts';
import type { GateSample, GateSampleContext } from './types.ts';

export async function sampleGate(
  config: GateConfig,
  ctx: GateSampleContext,
  options: CommandGateOptions = {},
): Promise<GateSample> {
  try {
    if ('prometheus' in config) return await samplePrometheus(config, ctx);
    if ('http' in config) return await sampleHttpGate(config, ctx);
    if ('datadog' in config) return await sampleDatadog(config, ctx);
    if ('cloudwatch' in config) return await sampleCloudwatch(config, ctx);
    if ('newrelic' in config) return await sampleNewrelic(config, ctx);
    return await sampleCommandGate(config, ctx, options);
  } catch (error) {
    return {
      value: null,
      error: secrets.scrub(`gate source failed: ${error instanceof Error ? error.message : String(error)}`),
    };
  }
}
