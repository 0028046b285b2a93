// One entry point for every action kind; the engine never needs to know which kind it runs.
import type { ActionConfig } from '../config/schema.ts';
import { secrets } from '../log.ts';
import { runCommand, type CommandOptions } from './command.ts';
import { runGithubActions } from './github-actions.ts';
import { runHttpChecks } from './http-check.ts';
import type { RetryOptions } from './http-retry.ts';
import { runPagerDuty } from './pagerduty.ts';
import type { ActionContext, ActionResult } from './types.ts';
import { runWebhook } from './webhook.ts';
import { runFlag, type FlagSwitch } from '../flags/run-flag.ts';

/** Knobs for tests (short backoff, short kill grace); production uses the defaults. */
export type RunActionOptions = CommandOptions & RetryOptions;

export type ActionKind = 'command' | 'webhook' | 'http' | 'pagerduty' | 'github_actions' | 'flag';

export function actionKind(config: ActionConfig): ActionKind {
  if ('command' in config) return 'command';
  if ('webhook' in config) return 'webhook';
  if ('http' in config) return 'http';
  if ('pagerduty' in config) return 'pagerduty';
  if ('flag' in config) return 'flag';
  return 'github_actions';
}

/** Run an action; resolves with a result for every failure, including a bug in a runner. */
export async function runAction(
  config: ActionConfig,
  ctx: ActionContext,
  options: RunActionOptions = {},
): Promise<ActionResult> {
  const startedAt = Date.now();
  try {
    if ('command' in config) return await runCommand(config, ctx, options);
    if ('webhook' in config) return await runWebhook(config, ctx, options);
    if ('http' in config) return await runHttpChecks(config, ctx);
    if ('pagerduty' in config) return await runPagerDuty(config, ctx, options);
    if ('flag' in config) return await runFlag(config, flagSwitch(ctx), ctx, options);
    return await runGithubActions(config, ctx);
  } catch (error) {
    ctx.log.error({ err: error, kind: actionKind(config) }, 'action runner failed unexpectedly');
    return {
      ok: false,
      summary: secrets.scrub(
        `internal error running the ${actionKind(config)} action: ${error instanceof Error ? error.message : String(error)}`,
      ),
      durationMs: Date.now() - startedAt,
      retryable: false,
    };
  }
}

function flagSwitch(ctx: ActionContext): FlagSwitch {
  if (ctx.flag === 'off') return { to: 'off' };
  const percent = Number(ctx.vars.percent ?? 100);
  return { to: 'on', percent: Number.isFinite(percent) && percent > 0 ? percent : 100 };
}
