// One interface for every gate source (prometheus, http, command).
import type { TemplateVars } from '../config/template.ts';

export interface GateSampleContext {
  vars: TemplateVars;
  signal?: AbortSignal;
}

/** A reading: a number, or null with the reason when there is no data (error, empty result, NaN). */
export interface GateSample {
  value: number | null;
  error?: string;
}
