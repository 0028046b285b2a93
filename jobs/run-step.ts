// Step processor. Takes: a runway-steps job (release, action name, idempotency key, purpose).
// Produces: the action run at most once to completion, and its result applied to the release as an event.
//
// Exactly once where it can be: a finished action's result is stored under its key and replayed, never
// re-run; an action cut off by a crash runs again with the same key; a step whose release has moved on
// (fencing: epoch, stage, attempt) does nothing. A rollback or abort cancels the running action.
import { DelayedError, type Job } from 'bullmq';
import type { Logger } from '../src/log.ts';
import type { Engine } from '../src/engine/engine.ts';
import type { RunbookContext } from '../src/engine/runbook-context.ts';
import { ACTION_BEAT_MS, type ReleaseStore } from '../src/store/release-store.ts';
import { runAction, type RunActionOptions } from '../src/actions/run-action.ts';
import type { ActionResult } from '../src/actions/types.ts';
import { stageKey, templateVars } from '../src/release/machine.ts';
import type { ActionExit, ActionOutput, Release, ReleaseEvent } from '../src/release/types.ts';
import { stepJobSchema, type StepJob } from '../src/queue/queues.ts';
import { awaitsAction } from '../src/release/fencing.ts';

export interface StepProcessorDeps {
  engine: Engine;
  store: ReleaseStore;
  runbook: () => RunbookContext;
  log: Logger;
  /** Who runs it (host/pid), kept on the action run record for forensics. */
  owner: string;
  /** How often a running action checks whether it was cancelled. */
  cancelPollMs?: number;
  actionOptions?: RunActionOptions;
}

export class ShutdownError extends Error {}

/** How soon a step whose action runs on a live worker is looked at again. */
const BUSY_RETRY_MS = 5000;

export function createStepProcessor(deps: StepProcessorDeps) {
  return async (
    job: Job,
    token?: string,
    signal?: AbortSignal,
  ): Promise<{ ok: boolean } | { skipped: string }> => {
    const step = stepJobSchema.parse(job.data);
    const log = deps.log.child({ releaseId: step.releaseId, jobId: job.id, action: step.action });
    const begun = await deps.store.beginStep(step.releaseId, step.key, deps.owner);
    if (!begun || !awaitsAction(begun.release, step.purpose)) {
      log.debug('step is stale; nothing to do');
      return { skipped: 'stale' };
    }
    const { release, run } = begun;
    if (run.status === 'busy') {
      // Its worker is alive (its job lock lapsed in a Redis failover, say): look again later rather
      // than run the action a second time beside it; by then it is done (replayed) or its worker gone.
      log.warn({ owner: run.previousOwner }, 'action is running on a live worker; looking again later');
      if (!token) throw new Error('action is running on a live worker');
      await job.moveToDelayed(Date.now() + BUSY_RETRY_MS, token);
      throw new DelayedError();
    }
    if (step.purpose.kind === 'rollback' && run.status === 'started')
      await waitForStoppedStage(deps, release, log);
    let result: ActionResult;
    if (run.status === 'done') {
      log.info('action already finished; replaying its result instead of running it again');
      result = run.result as ActionResult;
    } else {
      if (run.status === 'resumed') {
        log.warn(
          { attempt: run.attempt },
          'action was cut off; running it again with the same idempotency key',
        );
        // Said in the thread and audited before it runs again: a repeat is never silent.
        await deps.engine.apply(step.releaseId, {
          type: 'actionResumed',
          action: step.action,
          purpose: step.purpose,
          run: run.attempt,
          ...(run.previousOwner ? { previousOwner: run.previousOwner } : {}),
        });
      }
      result = await withHeartbeat(deps, step.key, log, () =>
        runWithCancel(deps, release, step, log, signal),
      );
      const attemptsLeft = (job.opts.attempts ?? 1) - job.attemptsMade - 1;
      const retry = !result.ok && result.retryable && attemptsLeft > 0;
      // Given back (shutdown, a retry after backoff): the next worker need not wait for the beat to age.
      if (signal?.aborted || retry) await deps.store.beatActionRun(step.key, deps.owner, true);
      if (signal?.aborted)
        throw new ShutdownError('worker is shutting down; the step goes back to the queue');
      if (retry) {
        log.warn({ summary: result.summary, attemptsLeft }, 'transient failure; retrying with backoff');
        throw new Error(result.summary);
      }
      await deps.store.finishActionRun(step.key, result);
      // With Sentinel, the record that says "done" must outlive a failover, or the action runs again.
      if ((await deps.store.waitForReplica()) === 0)
        log.warn('no replica has the finished action yet; a failover now could run it again');
      log.info({ ok: result.ok, summary: result.summary, exitCode: result.exitCode }, 'action finished');
    }
    await deps.engine.apply(step.releaseId, eventFor(step, result), release);
    return { ok: result.ok };
  };
}

/** Beats the action run while `work` runs, so another worker never takes a live run for dead. */
async function withHeartbeat<T>(
  deps: StepProcessorDeps,
  key: string,
  log: Logger,
  work: () => Promise<T>,
): Promise<T> {
  const beat = setInterval(() => {
    deps.store.beatActionRun(key, deps.owner).catch((err: unknown) => log.warn({ err }, 'heartbeat failed'));
  }, ACTION_BEAT_MS);
  try {
    return await work();
  } finally {
    clearInterval(beat);
  }
}

async function runWithCancel(
  deps: StepProcessorDeps,
  release: Release,
  step: StepJob,
  log: Logger,
  shutdown?: AbortSignal,
): Promise<ActionResult> {
  const config = deps.runbook().action(release.service, release.environment, step.action);
  if (!config) {
    return {
      ok: false,
      summary: `the runbook has no action "${step.action}" for ${release.service} in ${release.environment}`,
      durationMs: 0,
      retryable: false,
    };
  }
  const controller = new AbortController();
  const onShutdown = () => controller.abort(new Error('shutdown'));
  shutdown?.addEventListener('abort', onShutdown);
  // Poll rather than subscribe: the cancel flag may be set before this worker even started the step.
  const poll = setInterval(() => {
    void (async () => {
      const cancelled = await deps.store.flags.isCancelled(step.key);
      const now = cancelled ? null : await deps.store.get(step.releaseId);
      if (cancelled || (now && !awaitsAction(now, step.purpose))) controller.abort(new Error('cancelled'));
    })().catch((err: unknown) => log.warn({ err }, 'cancel check failed'));
  }, deps.cancelPollMs ?? 1000);
  try {
    return await runAction(
      config,
      {
        vars: { ...templateVars(release), ...templateOnly(step.vars) },
        ...(step.vars.flag ? { flag: step.vars.flag } : {}),
        idempotencyKey: step.key,
        signal: controller.signal,
        log,
      },
      deps.actionOptions,
    );
  } finally {
    clearInterval(poll);
    shutdown?.removeEventListener('abort', onShutdown);
  }
}

/** The step's template values without its flag switch (which is not a placeholder). */
function templateOnly(vars: StepJob['vars']): Omit<StepJob['vars'], 'flag'> {
  const { flag: _flag, ...rest } = vars;
  return rest;
}

/** How long a rollback waits for the stage it stopped; past it, that stage's worker is presumed dead. */
const STOPPED_STAGE_WAIT_MS = 20_000;

/**
 * SPEC: a rollback first stops the running stage — its command killed — and only then sets traffic
 * to 0 and runs `rollback`. The stop is asked for (a cancel flag the running step polls) in the same
 * decision that starts the rollback, so its first step waits here until that action has ended.
 */
async function waitForStoppedStage(deps: StepProcessorDeps, release: Release, log: Logger): Promise<void> {
  const stage = release.stages[release.stageIndex];
  if (!stage || stage.attempt < 1) return;
  const key = stageKey(release, release.stageIndex, stage.attempt);
  const until = Date.now() + STOPPED_STAGE_WAIT_MS;
  let waited = false;
  for (;;) {
    const status = await deps.store.actionRunStatus(key);
    if (status !== 'running' && status !== 'resumed') break;
    if (Date.now() >= until) {
      log.warn(
        { stoppedAction: key },
        'the stopped stage is still marked running (its worker may be gone); rolling back anyway',
      );
      break;
    }
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (waited) log.info({ stoppedAction: key }, 'the stopped stage has ended; rolling back');
}

/** A failed action's summary and the end of its output (the last 12 lines, at most 1,500 characters). */
function outputOf(result: ActionResult): ActionOutput {
  if (result.ok || !result.tail) return { summary: result.summary };
  const lines = result.tail.trimEnd().split('\n').slice(-12).join('\n');
  return { summary: result.summary, tail: lines.slice(-1500) };
}

/** How it ended, for the audit: a command's exit code (when it exited) and whether it timed out. */
function exitOf(result: ActionResult): ActionExit | undefined {
  const exit: ActionExit = {
    ...(typeof result.exitCode === 'number' ? { exitCode: result.exitCode } : {}),
    ...(result.timedOut !== undefined ? { timedOut: result.timedOut } : {}),
  };
  return Object.keys(exit).length > 0 ? exit : undefined;
}

function eventFor(step: StepJob, result: ActionResult): ReleaseEvent {
  const exit = exitOf(result);
  const end = { ok: result.ok, output: outputOf(result), ...(exit ? { exit } : {}) };
  const p = step.purpose;
  if (p.kind === 'stage')
    return { type: 'actionFinished', stageIndex: p.stageIndex, attempt: p.attempt, epoch: p.epoch, ...end };
  if (p.kind === 'preflight')
    return { type: 'preflightChecked', itemId: p.itemId, attempt: p.attempt, ...end };
  return { type: 'rollbackStepFinished', step: p.step, ...end };
}
