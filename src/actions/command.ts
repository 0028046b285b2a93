// The `command` action: an argv run without a shell, in its own process group, with a bounded tail.
import { formatDuration } from '../config/duration.ts';
import type { ActionConfig } from '../config/schema.ts';
import { renderDeep } from '../config/template.ts';
import { secrets } from '../log.ts';
import { commandEnv } from './env.ts';
import { runProcess } from './process-group.ts';
import { elapsedText, renderOr } from './result.ts';
import { TailBuffer } from './tail.ts';
import type { ActionContext, ActionResult } from './types.ts';

export type CommandAction = Extract<ActionConfig, { command: string[] }>;

export const DEFAULT_COMMAND_TIMEOUT_MS = 10 * 60_000;

export interface CommandOptions {
  /** Between SIGTERM and SIGKILL of the process group (default 5 s). */
  killGraceMs?: number;
}

export async function runCommand(
  config: CommandAction,
  ctx: ActionContext,
  options: CommandOptions = {},
): Promise<ActionResult> {
  const startedAt = Date.now();
  const rendered = renderOr(
    () => ({
      argv: renderDeep(config.command, ctx.vars),
      env: renderDeep(config.env, ctx.vars),
      cwd: config.cwd && renderDeep(config.cwd, ctx.vars),
    }),
    startedAt,
  );
  if ('failed' in rendered) return rendered.failed;
  const { argv, env, cwd } = rendered.value;
  const timeoutMs = config.timeout ?? DEFAULT_COMMAND_TIMEOUT_MS;

  const tail = new TailBuffer();
  ctx.log.info({ program: argv[0], args: argv.length - 1, cwd }, 'command starting');
  const outcome = await runProcess({
    argv,
    env: commandEnv(env, ctx.vars, ctx.idempotencyKey),
    cwd,
    timeoutMs,
    signal: ctx.signal,
    killGraceMs: options.killGraceMs,
    onStdout: (chunk) => tail.push(chunk),
    onStderr: (chunk) => tail.push(chunk),
  });
  const output = secrets.scrub(tail.text());
  const base = {
    durationMs: outcome.durationMs,
    timedOut: outcome.kind === 'timed_out',
    ...(output ? { tail: output } : {}),
  };

  let result: ActionResult;
  switch (outcome.kind) {
    case 'spawn_failed':
      result = { ok: false, summary: outcome.reason, retryable: false, exitCode: null, ...base };
      break;
    case 'timed_out':
      result = {
        ok: false,
        summary: `timed out after ${formatDuration(timeoutMs)}, process group killed`,
        retryable: false,
        exitCode: null,
        ...base,
      };
      break;
    case 'cancelled':
      result = { ok: false, summary: 'cancelled', retryable: false, exitCode: null, ...base };
      break;
    case 'exited': {
      const took = elapsedText(outcome.durationMs);
      const ok = outcome.exitCode === 0;
      const summary =
        outcome.exitCode === null
          ? `killed by ${outcome.signal ?? 'a signal'} after ${took}`
          : ok
            ? `exit 0 in ${took}`
            : `exit ${outcome.exitCode} after ${took}`;
      result = { ok, summary, retryable: false, exitCode: outcome.exitCode, ...base };
      break;
    }
  }
  result.summary = secrets.scrub(result.summary);
  ctx.log.info(
    { program: argv[0], ok: result.ok, exitCode: result.exitCode, durationMs: result.durationMs },
    `command ${result.summary}`,
  );
  return result;
}
