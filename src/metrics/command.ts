// command gate: run an argv (no shell) that prints a number; the last non-empty stdout line is read.
import { commandEnv } from '../actions/env.ts';
import { runProcess } from '../actions/process-group.ts';
import { TailBuffer } from '../actions/tail.ts';
import { formatDuration } from '../config/duration.ts';
import type { GateConfig } from '../config/schema.ts';
import { renderDeep } from '../config/template.ts';
import { secrets } from '../log.ts';
import { fromTemplate } from './template-sample.ts';
import type { GateSample, GateSampleContext } from './types.ts';

export type CommandGate = Extract<GateConfig, { command: string[] }>;

export interface CommandGateOptions {
  killGraceMs?: number;
}

export async function sampleCommandGate(
  config: CommandGate,
  ctx: GateSampleContext,
  options: CommandGateOptions = {},
): Promise<GateSample> {
  return fromTemplate(async () => {
    const argv = renderDeep(config.command, ctx.vars);
    const env = renderDeep(config.env, ctx.vars);
    const cwd = config.cwd && renderDeep(config.cwd, ctx.vars);
    const stdout = new TailBuffer({ maxBytes: 4096, maxLines: 40 });
    const stderr = new TailBuffer({ maxBytes: 1024, maxLines: 5 });
    const outcome = await runProcess({
      argv,
      env: commandEnv(env, ctx.vars),
      cwd,
      timeoutMs: config.timeout,
      signal: ctx.signal,
      killGraceMs: options.killGraceMs,
      onStdout: (chunk) => stdout.push(chunk),
      onStderr: (chunk) => stderr.push(chunk),
    });
    const error = (text: string): GateSample => ({ value: null, error: secrets.scrub(text) });
    switch (outcome.kind) {
      case 'spawn_failed':
        return error(outcome.reason);
      case 'timed_out':
        return error(
          `${argv[0]} did not finish within ${formatDuration(config.timeout)}, process group killed`,
        );
      case 'cancelled':
        return error('cancelled');
      case 'exited':
        if (outcome.exitCode !== 0) {
          const last = lastLine(stderr.text()) ?? lastLine(stdout.text());
          const how =
            outcome.exitCode === null
              ? `killed by ${outcome.signal ?? 'a signal'}`
              : `exit ${outcome.exitCode}`;
          return error(`${argv[0]} failed (${how})${last ? `: ${last}` : ''}`);
        }
        return parseNumberOutput(stdout.text(), argv[0] ?? 'the command');
    }
  });
}

/** The last non-empty line of output as a number. */
export function parseNumberOutput(output: string, program: string): GateSample {
  const line = lastLine(output);
  if (line === null)
    return { value: null, error: `${program} printed nothing; a command gate prints a number` };
  const value = line === '' ? NaN : Number(line);
  if (!Number.isFinite(value)) {
    return { value: null, error: secrets.scrub(`${program} printed "${line.slice(0, 80)}", not a number`) };
  }
  return { value };
}

function lastLine(text: string): string | null {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines[lines.length - 1] ?? null;
}
