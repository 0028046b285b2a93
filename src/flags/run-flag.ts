// The `flag` action: a flag stage sets the rollout and turns the flag on; its undo turns it off.
// 5xx, 429 and timeouts are retried with backoff (http-retry.ts); a 4xx is final and not retried.
import type { ActionConfig, FlagConfig } from '../config/schema.ts';
import { sendWithRetries, type RetryOptions } from '../actions/http-retry.ts';
import type { ActionContext, ActionResult } from '../actions/types.ts';
import { scrubSecrets } from '../log.ts';
import { launchDarkly } from './launchdarkly.ts';
import { unleash } from './unleash.ts';
import { FlagError, type FlagHttp, type FlagProvider } from './types.ts';

type FlagAction = Extract<ActionConfig, { flag: unknown }>;

/** What the step asks: on at a rollout percent, or off. */
export type FlagSwitch = { to: 'on'; percent: number } | { to: 'off' };

export function providerFor(flag: FlagConfig, http: FlagHttp): FlagProvider {
  return flag.provider === 'launchdarkly' ? launchDarkly(flag, http) : unleash(flag, http);
}

/** Sends with the provider's token; any non-2xx after retries is a FlagError. */
export function flagHttp(
  flag: FlagConfig,
  timeoutMs: number,
  ctx: ActionContext,
  options: RetryOptions,
): FlagHttp {
  const base = flag.url.replace(/\/+$/, '');
  return async (req) => {
    const outcome = await sendWithRetries(
      {
        method: req.method,
        url: `${base}${req.path}`,
        headers: {
          Authorization: flag.token,
          Accept: 'application/json',
          ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...req.headers,
        },
        ...(req.body !== undefined ? { body: Buffer.from(JSON.stringify(req.body)) } : {}),
        timeoutMs,
        signal: ctx.signal,
      },
      {
        isExpected: (status) => status >= 200 && status < 300,
        onRetry: ({ attempt, delayMs, why }) =>
          ctx.log.warn({ flag: flag.key, attempt, delayMs }, `flag service ${why}, retrying`),
      },
      options,
    );
    if (outcome.kind === 'expected') return { status: outcome.status, body: outcome.body };
    if (outcome.kind === 'unexpected')
      throw new FlagError(`HTTP ${outcome.status} from ${flag.provider}`, outcome.status, outcome.body);
    if (outcome.kind === 'error') throw new FlagError(`${outcome.reason} calling ${flag.provider}`, null);
    throw new FlagError('cancelled', null);
  };
}

export async function runFlag(
  config: FlagAction,
  want: FlagSwitch,
  ctx: ActionContext,
  options: RetryOptions = {},
): Promise<ActionResult> {
  const flag = config.flag;
  const startedAt = Date.now();
  const scrub = (text: string) => scrubSecrets(text, [flag.token]);
  const http = flagHttp(flag, config.timeout ?? 10_000, ctx, { retries: config.retries ?? 3, ...options });
  const provider = providerFor(flag, http);
  const what = want.to === 'on' ? `on at ${want.percent}%` : 'off';
  try {
    if (want.to === 'on') {
      await provider.setRollout(want.percent);
      await provider.turnOn();
    } else {
      await provider.turnOff();
    }
    const summary = `flag ${flag.key} ${what} (${flag.provider})`;
    ctx.log.info({ flag: flag.key, provider: flag.provider }, summary);
    return { ok: true, summary, durationMs: Date.now() - startedAt, retryable: false };
  } catch (error) {
    const fe = error instanceof FlagError ? error : null;
    const message = error instanceof Error ? error.message : String(error);
    const summary = scrub(`flag ${flag.key} could not be turned ${what}: ${message}`);
    ctx.log.warn({ flag: flag.key, provider: flag.provider, status: fe?.status }, summary);
    return {
      ok: false,
      summary,
      ...(fe?.body ? { tail: scrub(fe.body).slice(0, 1500) } : {}),
      durationMs: Date.now() - startedAt,
      // Retries (5xx, timeouts) are spent inside; a 4xx is the provider's final word.
      retryable: false,
    };
  }
}
