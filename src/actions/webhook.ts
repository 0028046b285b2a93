// The `webhook` action: a JSON request, signed when a secret is set, retried with the same
// Idempotency-Key so the receiver can recognise a repeat.
import type { ActionConfig, WebhookConfig } from '../config/schema.ts';
import { renderDeep } from '../config/template.ts';
import { deadline } from './deadline.ts';
import { signBody } from './hmac.ts';
import { displayUrl } from './http-attempt.ts';
import { sendWithRetries, type RetryOptions } from './http-retry.ts';
import { elapsedText, renderOr } from './result.ts';
import { scrubberFor } from './scrub.ts';
import { headOf } from './tail.ts';
import type { ActionContext, ActionResult } from './types.ts';

export type WebhookAction = Extract<ActionConfig, { webhook: WebhookConfig }>;

export async function runWebhook(
  config: WebhookAction,
  ctx: ActionContext,
  options: RetryOptions = {},
): Promise<ActionResult> {
  const startedAt = Date.now();
  const hook = config.webhook;
  const rendered = renderOr(
    () => ({
      url: renderDeep(hook.url, ctx.vars),
      headers: renderDeep(hook.headers ?? {}, ctx.vars),
      body: renderDeep(hook.body, ctx.vars),
    }),
    startedAt,
  );
  if ('failed' in rendered) return rendered.failed;
  const { url, headers, body } = rendered.value;
  const scrub = scrubberFor(hook.secret);

  const raw = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
  const ours: Record<string, string> = {
    'Content-Type': 'application/json',
    'Idempotency-Key': ctx.idempotencyKey,
  };
  if (hook.secret !== undefined) {
    ours['X-Runway-Signature'] = signBody(hook.secret, raw ?? Buffer.alloc(0));
    ours['X-Runway-Timestamp'] = String(Math.floor(Date.now() / 1000));
  }

  const expected = hook.expect_status;
  const isExpected = (status: number): boolean =>
    expected === undefined
      ? status >= 200 && status < 300
      : Array.isArray(expected)
        ? expected.includes(status)
        : status === expected;

  const where = displayUrl(url);
  const limit = deadline(ctx.signal, config.timeout);
  const outcome = await sendWithRetries(
    {
      method: hook.method,
      url,
      headers: { ...withoutNames(headers, Object.keys(ours)), ...ours },
      body: raw,
      timeoutMs: hook.timeout,
      signal: limit.signal,
    },
    {
      isExpected,
      onRetry: ({ attempt, delayMs, why }) =>
        ctx.log.warn({ url: where, attempt, delayMs }, scrub(`webhook ${why}, retrying`)),
    },
    { retries: hook.retries, ...options },
  );
  limit.dispose();

  const durationMs = Date.now() - startedAt;
  const took = elapsedText(durationMs);
  const tries = (n: number): string => (n > 1 ? ` after ${n} attempts` : '');
  let result: ActionResult;
  switch (outcome.kind) {
    case 'expected':
      result = {
        ok: true,
        summary: `HTTP ${outcome.status} from ${where} in ${took}${outcome.attempts > 1 ? ` (attempt ${outcome.attempts})` : ''}`,
        durationMs,
        retryable: false,
        tail: outcome.body,
      };
      break;
    case 'unexpected':
      result = {
        ok: false,
        summary: `HTTP ${outcome.status} from ${where}${outcome.retryable ? tries(outcome.attempts) : ', not retried'}`,
        durationMs,
        // The webhook's own retries (with backoff) are spent: the step does not start them over.
        retryable: false,
        tail: outcome.body,
      };
      break;
    case 'error':
      result = {
        ok: false,
        summary: `${outcome.reason} calling ${where}${tries(outcome.attempts)}`,
        durationMs,
        retryable: false,
      };
      break;
    case 'aborted': {
      const timedOut = limit.reason() === 'timed_out';
      result = {
        ok: false,
        summary: timedOut ? `timed out after ${took} calling ${where}` : 'cancelled',
        durationMs,
        retryable: false,
        timedOut,
        tail: outcome.lastBody,
      };
      break;
    }
  }
  result.summary = scrub(result.summary);
  // Scrub the whole body before cutting it, so a secret on the cut cannot survive half-masked.
  if (result.tail) result.tail = headOf(scrub(result.tail));
  else delete result.tail;
  ctx.log.info({ url: where, ok: result.ok }, `webhook ${result.summary}`);
  return result;
}

/** Drop headers we set ourselves, whatever their case, so ours are the only ones sent. */
function withoutNames(headers: Record<string, string>, names: string[]): Record<string, string> {
  const lower = new Set(names.map((n) => n.toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !lower.has(name.toLowerCase())));
}
