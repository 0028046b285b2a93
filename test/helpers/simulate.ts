// A pure driver for the release machine: a virtual clock and a timeline of pending events. Actions
// succeed after `actionMs`, delayed effects fire when their time comes, gates read `metric(t)`.
// It lets a unit test walk a whole release, hours of holds included, in microseconds.
import { threadText } from '../../src/slack/views/release-thread.ts';
import { decide } from '../../src/release/machine.ts';
import { deepFreeze } from '../../src/deep-freeze.ts';
import type {
  ActionExit,
  ActionOutput,
  DecideResult,
  Effect,
  Release,
  ReleaseEvent,
} from '../../src/release/types.ts';

interface Pending {
  at: number;
  event: ReleaseEvent;
}

export interface SimOptions {
  start?: Date;
  actionMs?: number;
  /** The value every gate reads at time t (ms since start). */
  metric?: (t: number, gate: string) => number | null;
  /** Override an action's result: return false to fail it. */
  actionOk?: (action: string, effect: Extract<Effect, { type: 'runAction' }>) => boolean;
  /** The end of a failed action's output (as jobs/run-step.ts gives it); none by default. */
  failureTail?: string;
  /** How each action ended (exit code, timed out), as jobs/run-step.ts gives it; none by default. */
  actionExit?: (action: string, ok: boolean) => ActionExit | undefined;
}

export class Simulator {
  release: Release;
  now: number;
  readonly t0: number;
  readonly effects: Effect[] = [];
  readonly ran: string[] = [];
  readonly refusals: string[] = [];
  private pending: Pending[] = [];

  constructor(
    first: { release: Release; effects: Effect[] },
    private readonly opts: SimOptions = {},
  ) {
    // decide() shares the plan between revisions instead of copying it: freezing it makes every
    // machine test fail if the machine ever writes to it.
    deepFreeze(first.release.plan);
    this.release = first.release;
    this.t0 = (opts.start ?? new Date('2026-11-24T18:00:00Z')).getTime();
    this.now = this.t0;
    this.take(first.effects);
  }

  /** Deliver an event now, as a person or a job would. */
  send(event: ReleaseEvent): DecideResult {
    const result = decide(this.release, event, new Date(this.now));
    if (result.refused) {
      this.refusals.push(result.reason);
      return result;
    }
    this.release = result.release;
    this.take(result.effects);
    return result;
  }

  /** Advance the clock, delivering every pending event due by then, in time order. */
  advance(ms: number): void {
    this.runUntil(() => false, ms);
  }

  /** Run until `done` holds (checked after each event) or `limitMs` of virtual time passed. */
  runUntil(done: (r: Release) => boolean, limitMs = 24 * 3600_000): void {
    const end = this.now + limitMs;
    while (!done(this.release)) {
      this.pending.sort((a, b) => a.at - b.at);
      const next = this.pending[0];
      if (!next || next.at > end) break;
      this.pending.shift();
      this.now = Math.max(this.now, next.at);
      this.send(next.event);
    }
    if (!done(this.release)) this.now = Math.max(this.now, end);
  }

  posts(): string[] {
    return this.effects.flatMap((e) => (e.type === 'postInThread' ? [threadText(e.note)] : []));
  }

  audits(): string[] {
    return this.effects.flatMap((e) => (e.type === 'audit' ? [e.action] : []));
  }

  private take(effects: Effect[]): void {
    for (const fx of effects) {
      this.effects.push(fx);
      const at = this.now;
      switch (fx.type) {
        case 'runAction': {
          this.ran.push(
            fx.purpose.kind === 'stage' && fx.vars.percent !== undefined
              ? `${fx.action}:${fx.vars.percent}`
              : fx.action,
          );
          const ok = this.opts.actionOk ? this.opts.actionOk(fx.action, fx) : true;
          const doneAt = at + (this.opts.actionMs ?? 1000);
          const p = fx.purpose;
          const tail = !ok && this.opts.failureTail !== undefined ? { tail: this.opts.failureTail } : {};
          const output = (summary: string): ActionOutput => ({ summary, ...tail });
          const given = this.opts.actionExit?.(fx.action, ok);
          const exit = given ? { exit: given } : {};
          if (p.kind === 'stage') {
            this.pending.push({
              at: doneAt,
              event: {
                type: 'actionFinished',
                stageIndex: p.stageIndex,
                attempt: p.attempt,
                epoch: p.epoch,
                ok,
                output: output(ok ? 'exit 0' : 'exit 1: boom'),
                ...exit,
              },
            });
          } else if (p.kind === 'preflight') {
            this.pending.push({
              at: doneAt,
              event: {
                type: 'preflightChecked',
                itemId: p.itemId,
                attempt: p.attempt,
                ok,
                ...(ok ? {} : { output: output('exit 1: check failed') }),
                ...exit,
              },
            });
          } else {
            this.pending.push({
              at: doneAt,
              event: {
                type: 'rollbackStepFinished',
                step: p.step,
                ok,
                ...(ok ? {} : { output: output('exit 1: undo failed') }),
                ...exit,
              },
            });
          }
          break;
        }
        case 'scheduleGateSample': {
          const t = at + fx.delayMs;
          const value = this.opts.metric ? this.opts.metric(t - this.t0, fx.gate) : 0.001;
          this.pending.push({
            at: t,
            event: { type: 'gateSampled', gate: fx.gate, epoch: fx.epoch, seq: fx.seq, value },
          });
          break;
        }
        case 'scheduleHoldEnd':
          this.pending.push({
            at: at + fx.delayMs,
            event: { type: 'holdElapsed', stageIndex: fx.stageIndex, epoch: fx.epoch, seq: fx.seq },
          });
          break;
        default:
          break;
      }
    }
  }
}
