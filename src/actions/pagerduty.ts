// PagerDuty Events API v2: POST {routing_key, event_action, dedup_key, payload} to /v2/enqueue;
// a 202 {status: "success", dedup_key} means accepted. The routing key is a secret: it is sent, never shown.
import type { ActionConfig, PagerDutyConfig } from '../config/schema.ts';
import { renderTemplate, type TemplateVars } from '../config/template.ts';
import { deadline } from './deadline.ts';
import { displayUrl } from './http-attempt.ts';
import { sendWithRetries, type RetryOptions } from './http-retry.ts';
import { elapsedText, renderOr } from './result.ts';
import { scrubberFor } from './scrub.ts';
import { headOf } from './tail.ts';
import type { ActionContext, ActionResult } from './types.ts';

export type PagerDutyAction = Extract<ActionConfig, { pagerduty: PagerDutyConfig }>;
export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

export interface PagerDutyEvent {
  action: 'trigger' | 'acknowledge' | 'resolve';
  /** The same key triggers once, then acknowledges/resolves that alert. */
  dedupKey: string;
  /** Required for trigger; PagerDuty keeps the first 1024 characters. */
  summary?: string;
  severity?: PagerDutySeverity;
  details?: Record<string, unknown>;
}

export interface PagerDutySendOptions extends RetryOptions {
  signal?: AbortSignal;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  onRetry?: (info: { attempt: number; delayMs: number; why: string }) => void;
}

export interface PagerDutySendResult {
  ok: boolean;
  /** Human summary, routing key removed. */
  summary: string;
  /** The dedup_key PagerDuty confirmed (or the one sent, if the reply lacked it). */
  dedupKey: string;
  retryable: boolean;
  attempts: number;
  /** Start of PagerDuty's reply body when it refused the event. */
  body?: string;
}

const DEFAULT_SEVERITY: PagerDutySeverity = 'critical';
const SUMMARY_TEMPLATE = 'Runway: {{service}} {{version}} in {{environment}}';

/** Send one event; never throws. */
export async function sendPagerDutyEvent(
  config: PagerDutyConfig,
  event: PagerDutyEvent,
  options: PagerDutySendOptions = {},
): Promise<PagerDutySendResult> {
  const scrub = scrubberFor(config.routing_key);
  const body: Record<string, unknown> = {
    routing_key: config.routing_key,
    event_action: event.action,
    dedup_key: event.dedupKey,
  };
  if (event.action === 'trigger') {
    body.payload = {
      summary: (event.summary ?? 'Runway alert').slice(0, 1024),
      source: config.source ?? 'runway',
      severity: event.severity ?? config.severity ?? DEFAULT_SEVERITY,
      ...(event.details ? { custom_details: event.details } : {}),
    };
  }
  const outcome = await sendWithRetries(
    {
      method: 'POST',
      url: config.url,
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from(JSON.stringify(body)),
      timeoutMs: options.timeoutMs ?? 10_000,
      signal: options.signal ?? new AbortController().signal,
    },
    { isExpected: (status) => status >= 200 && status < 300, onRetry: options.onRetry },
    options,
  );

  const where = displayUrl(config.url);
  const base = { dedupKey: event.dedupKey, attempts: outcome.attempts };
  const tries = outcome.attempts > 1 ? ` after ${outcome.attempts} attempts` : '';
  switch (outcome.kind) {
    case 'expected': {
      const reply = parseReply(outcome.body);
      return {
        ok: true,
        summary: scrub(`PagerDuty ${event.action} accepted (dedup_key ${reply.dedup_key ?? event.dedupKey})`),
        ...base,
        dedupKey: reply.dedup_key ?? event.dedupKey,
        retryable: false,
      };
    }
    case 'unexpected': {
      const reply = parseReply(outcome.body);
      const detail = [reply.message, ...(reply.errors ?? [])].filter(Boolean).join('; ');
      return {
        ok: false,
        summary: scrub(
          `PagerDuty refused the ${event.action}: HTTP ${outcome.status}${detail ? ` (${detail})` : ''}${tries}`,
        ),
        ...base,
        retryable: outcome.retryable,
        body: headOf(scrub(outcome.body)),
      };
    }
    case 'error':
      return {
        ok: false,
        summary: scrub(`${outcome.reason} calling ${where}${tries}`),
        ...base,
        retryable: outcome.retryable,
      };
    case 'aborted':
      return { ok: false, summary: 'cancelled', ...base, retryable: false };
  }
}

/** The `pagerduty` action: trigger an alert for this release step, deduplicated by its idempotency key. */
export async function runPagerDuty(
  config: PagerDutyAction,
  ctx: ActionContext,
  options: RetryOptions = {},
): Promise<ActionResult> {
  const startedAt = Date.now();
  const pd = config.pagerduty;
  const rendered = renderOr(
    () => ({
      summary: renderTemplate(SUMMARY_TEMPLATE, ctx.vars),
      config: { ...pd, source: pd.source === undefined ? undefined : renderTemplate(pd.source, ctx.vars) },
    }),
    startedAt,
  );
  if ('failed' in rendered) return rendered.failed;
  const limit = deadline(ctx.signal, config.timeout);
  const sent = await sendPagerDutyEvent(
    rendered.value.config,
    {
      action: 'trigger',
      dedupKey: ctx.idempotencyKey,
      summary: rendered.value.summary,
      details: knownVars(ctx.vars),
    },
    {
      ...options,
      signal: limit.signal,
      onRetry: ({ attempt, delayMs, why }) =>
        ctx.log.warn({ attempt, delayMs }, `PagerDuty ${why}, retrying`),
    },
  );
  const why = limit.reason();
  limit.dispose();
  const durationMs = Date.now() - startedAt;
  const summary =
    why === 'timed_out' ? `timed out after ${elapsedText(durationMs)} sending to PagerDuty` : sent.summary;
  ctx.log.info({ ok: sent.ok, dedupKey: sent.dedupKey }, summary);
  return {
    ok: sent.ok,
    summary,
    durationMs,
    retryable: why === 'timed_out' ? true : sent.retryable,
    ...(sent.body ? { tail: sent.body } : {}),
  };
}

function parseReply(body: string): { dedup_key?: string; message?: string; errors?: string[] } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const reply = parsed as Record<string, unknown>;
    return {
      dedup_key: typeof reply.dedup_key === 'string' ? reply.dedup_key : undefined,
      message: typeof reply.message === 'string' ? reply.message : undefined,
      errors: Array.isArray(reply.errors)
        ? reply.errors.filter((e): e is string => typeof e === 'string')
        : undefined,
    };
  } catch {
    return {};
  }
}

function knownVars(vars: TemplateVars): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(vars).filter(
      (entry): entry is [string, string | number] =>
        entry[1] !== undefined && entry[1] !== null && entry[1] !== '',
    ),
  );
}
