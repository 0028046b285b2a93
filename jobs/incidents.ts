// Incident processor. Takes: a runway-incidents job — declare a release's automatic incident, send a
// paging event, a sev1 reminder, or post a postmortem. Produces: Slack messages, incident changes and
// audit entries; a transient failure throws and BullMQ retries it with backoff.
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../src/log.ts';
import { incidentJobSchema } from '../src/incidents/jobs.ts';
import type { IncidentService } from '../src/incidents/service.ts';

export interface IncidentProcessorDeps {
  /** Null in a process without Slack: it cannot do incident work. */
  incidents: IncidentService | null;
  log: Logger;
}

export function createIncidentProcessor(deps: IncidentProcessorDeps) {
  return async (job: Job): Promise<string> => {
    const data = incidentJobSchema.parse(job.data);
    const service = deps.incidents;
    if (!service)
      throw new UnrecoverableError(
        'this worker has no Slack client (SLACK_BOT_TOKEN), so it cannot do incident work',
      );
    const result = await service.runJob(data, { attempt: job.attemptsMade + 1, of: job.opts.attempts ?? 1 });
    deps.log.debug({ jobId: job.id, kind: data.kind, result }, 'incident job done');
    return result;
  };
}
