// The shift handoff schedule: node-cron fires `handoff.schedule` (in `handoff.timezone`) in every
// process that runs the app, and each firing adds the slot's job with an id made from the slot time,
// so however many processes fire, BullMQ holds one job per slot and one worker posts it.
import cron, { type ScheduledTask } from 'node-cron';
import type { Queue } from 'bullmq';
import type { Logger } from '../log.ts';
import type { RunbookContext } from '../engine/runbook-context.ts';
import { HANDOFF_JOB_OPTIONS, handoffSlotJobId } from './jobs.ts';

export interface HandoffScheduler {
  stop(): Promise<void>;
}

/** Starts the schedule, or returns null when the runbook has none (or an invalid one, logged). */
export function startHandoffScheduler(deps: {
  runbook: () => RunbookContext;
  queue: Queue;
  log: Logger;
}): HandoffScheduler | null {
  const handoff = deps.runbook().runbook.handoff;
  if (!handoff?.schedule) return null;
  if (!cron.validate(handoff.schedule)) {
    deps.log.error(
      { schedule: handoff.schedule },
      'handoff.schedule is not a valid cron expression: scheduled handoffs are off',
    );
    return null;
  }
  let task: ScheduledTask;
  try {
    task = cron.schedule(
      handoff.schedule,
      async (ctx) => {
        // The slot is the scheduled instant (whole seconds), the same in every process.
        const slot = new Date(Math.floor(ctx.date.getTime() / 1000) * 1000).toISOString();
        try {
          await deps.queue.add('slot', { slot }, { ...HANDOFF_JOB_OPTIONS, jobId: handoffSlotJobId(slot) });
        } catch (error) {
          deps.log.error(
            { slot, err: error instanceof Error ? error.message : String(error) },
            'could not queue the scheduled handoff',
          );
        }
      },
      {
        timezone: handoff.timezone,
        name: `runway-handoff-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
        noOverlap: true,
      },
    );
  } catch (error) {
    deps.log.error(
      { timezone: handoff.timezone, err: error instanceof Error ? error.message : String(error) },
      'could not schedule handoffs',
    );
    return null;
  }
  deps.log.info({ schedule: handoff.schedule, timezone: handoff.timezone }, 'shift handoffs scheduled');
  return {
    stop: async () => {
      await task.destroy();
    },
  };
}
