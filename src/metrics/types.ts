// One interface for every gate source (prometheus, http, command, datadog, cloudwatch, newrelic).
import type { TemplateVars } from '../config/template.ts';

export interface GateSampleContext {
  vars: TemplateVars;
  signal?: AbortSignal;
  /** The clock for sources that ask for a time range (datadog, cloudwatch); the wall clock when absent. */
  now?: () => Date;
}

/**
 * A reading: a number, or null with the reason when there is no data (error, empty result, NaN, a
 * refused credential). The reason is shown on the card, so sources scrub their credentials from it.
 */
export interface GateSample {
  value: number | null;
  error?: string;
}
