// Small shared pieces for building ActionResults the same way in every kind.
import { formatDuration } from '../config/duration.ts';
import { TemplateError } from '../config/template.ts';
import type { ActionResult } from './types.ts';

/** "2.3s" under a minute (people compare those), "4m12s" above. */
export function elapsedText(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : formatDuration(ms);
}

/** A placeholder without a value is a runbook/release problem; trying again will not fill it. */
export function templateFailure(error: TemplateError, startedAt: number): ActionResult {
  return {
    ok: false,
    summary: `cannot run: ${error.message}`,
    durationMs: Date.now() - startedAt,
    retryable: false,
  };
}

/** Run `render`, turning a TemplateError into a failed result instead of a throw. */
export function renderOr<T>(render: () => T, startedAt: number): { value: T } | { failed: ActionResult } {
  try {
    return { value: render() };
  } catch (error) {
    if (error instanceof TemplateError) return { failed: templateFailure(error, startedAt) };
    throw error;
  }
}
