// A gate whose template cannot be filled gives no reading, with the reason, instead of throwing.
import { TemplateError } from '../config/template.ts';
import type { GateSample } from './types.ts';

export async function fromTemplate(sample: () => Promise<GateSample>): Promise<GateSample> {
  try {
    return await sample();
  } catch (error) {
    if (error instanceof TemplateError) return { value: null, error: error.message };
    throw error;
  }
}
