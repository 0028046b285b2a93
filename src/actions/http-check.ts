// The `http` action: checks run in order; the first that fails stops the run and says why.
import type { ActionConfig, HttpCheck } from '../config/schema.ts';
import { renderDeep } from '../config/template.ts';
import { deadline } from './deadline.ts';
import { displayUrl, httpAttempt } from './http-attempt.ts';
import { isRetryableStatus } from './http-retry.ts';
import { subsetMismatch } from './json-subset.ts';
import { elapsedText, renderOr } from './result.ts';
import { scrubberFor } from './scrub.ts';
import { headOf } from './tail.ts';
import type { ActionContext, ActionResult } from './types.ts';

export type HttpChecksAction = Extract<ActionConfig, { http: HttpCheck[] }>;

type CheckOutcome =
  { ok: true } | { ok: false; why: string; retryable: boolean; body?: string } | { aborted: true };

export async function runHttpChecks(config: HttpChecksAction, ctx: ActionContext): Promise<ActionResult> {
  const startedAt = Date.now();
  const rendered = renderOr(() => renderDeep(config.http, ctx.vars), startedAt);
  if ('failed' in rendered) return rendered.failed;
  const checks = rendered.value;
  const scrub = scrubberFor();
  const limit = deadline(ctx.signal, config.timeout);

  try {
    for (const [index, check] of checks.entries()) {
      const outcome = await runCheck(check, limit.signal);
      const label =
        checks.length > 1
          ? `check ${index + 1} (${check.method} ${displayUrl(check.url)})`
          : `${check.method} ${displayUrl(check.url)}`;
      if ('aborted' in outcome) {
        const timedOut = limit.reason() === 'timed_out';
        return {
          ok: false,
          summary: scrub(
            timedOut ? `${label}: timed out after ${elapsedText(Date.now() - startedAt)}` : 'cancelled',
          ),
          durationMs: Date.now() - startedAt,
          retryable: timedOut,
          timedOut,
        };
      }
      if (!outcome.ok) {
        ctx.log.info(
          { check: index + 1, url: displayUrl(check.url) },
          scrub(`http check failed: ${outcome.why}`),
        );
        return {
          ok: false,
          summary: scrub(`${label}: ${outcome.why}`),
          durationMs: Date.now() - startedAt,
          retryable: outcome.retryable,
          ...(outcome.body ? { tail: headOf(scrub(outcome.body)) } : {}),
        };
      }
    }
  } finally {
    limit.dispose();
  }
  const durationMs = Date.now() - startedAt;
  const count = checks.length === 1 ? '1 check' : `${checks.length} checks`;
  return { ok: true, summary: `${count} passed in ${elapsedText(durationMs)}`, durationMs, retryable: false };
}

async function runCheck(check: HttpCheck, signal: AbortSignal): Promise<CheckOutcome> {
  const hasBody = check.body !== undefined;
  const result = await httpAttempt({
    method: check.method,
    url: check.url,
    headers: { ...(hasBody ? { 'Content-Type': 'application/json' } : {}), ...check.headers },
    body: hasBody ? Buffer.from(JSON.stringify(check.body)) : undefined,
    timeoutMs: check.timeout,
    signal,
  });
  if (result.kind === 'aborted') return { aborted: true };
  if (result.kind === 'error') return { ok: false, why: result.reason, retryable: result.retryable };
  if (result.status !== check.expect_status) {
    return {
      ok: false,
      why: `status ${result.status} ≠ ${check.expect_status}`,
      retryable: isRetryableStatus(result.status),
      body: result.body,
    };
  }
  if (check.expect_json !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(result.body);
    } catch {
      return { ok: false, why: 'response is not JSON', retryable: false, body: result.body };
    }
    const mismatch = subsetMismatch(json, check.expect_json);
    if (mismatch) return { ok: false, why: mismatch, retryable: false, body: result.body };
  }
  return { ok: true };
}
