// Handoff processor. Takes: a runway-handoff job naming a scheduled slot (one job per slot, whichever
// process's cron added it). Produces: the shift handoff in the on-call channel(s), once per slot.
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../src/log.ts';
import { handoffJobSchema } from '../src/handoff/jobs.ts';
import type { HandoffService } from '../src/handoff/service.ts';

export interface HandoffProcessorDeps {
  /** Null in a process without Slack: it cannot post handoffs. */
  handoff: HandoffService | null;
  log: Logger;
}

export function createHandoffProcessor(deps: HandoffProcessorDeps) {
  return async (job: Job): Promise<string> => {
    const { slot } = handoffJobSchema.parse(job.data);
    const service = deps.handoff;
    if (!service)
      throw new UnrecoverableError(
        'this worker has no Slack client (SLACK_BOT_TOKEN), so it cannot post handoffs',
      );
    const result = await service.runSlot(slot);
    deps.log.info({ slot, result }, 'scheduled handoff');
    return result;
  };
}
