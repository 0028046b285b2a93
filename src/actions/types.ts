// One interface for every action kind (command, webhook, http, pagerduty, github_actions).
import type { Logger } from '../log.ts';
import type { TemplateVars } from '../config/template.ts';

export interface ActionContext {
  /** Values for {{placeholders}}. */
  vars: TemplateVars;
  /** The same for every run of the same step: RUNWAY_IDEMPOTENCY_KEY, Idempotency-Key, dedup_key. */
  idempotencyKey: string;
  /** Aborted when the step must stop (rollback, abort, shutdown): the action stops at once. */
  signal: AbortSignal;
  log: Logger;
  /** Issue 12: for a flag action, on (at `vars.percent`, default 100) or off (a flag stage's undo). */
  flag?: 'on' | 'off';
}

export interface ActionResult {
  ok: boolean;
  /** One line for people: "exit 0 in 4.2s", "HTTP 503 from https://…", "timed out after 10m". */
  summary: string;
  /** Last lines of output (commands) or of the response body; already scrubbed of secrets. */
  tail?: string;
  exitCode?: number | null;
  /** True when the action's own time limit ended it; set by the kinds that can tell. */
  timedOut?: boolean;
  durationMs: number;
  /** True when trying again may help (network error, 5xx, 429); false for a real failure. */
  retryable: boolean;
}
