// Insight processor. Takes: a runway-insight job (changelog, deploy, ended, chart) for one release.
// Produces: the stored changelog and its card refresh or thread note, GitHub deployment statuses, a
// chart uploaded in the thread. A job for a release whose card is not posted yet retries later.
import type { Job } from 'bullmq';
import { z } from 'zod';
import type { Logger } from '../src/log.ts';
import type { InsightService } from '../src/insight/service.ts';

const insightJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('changelog'), releaseId: z.string() }),
  z.object({ kind: z.literal('deploy'), releaseId: z.string() }),
  z.object({ kind: z.literal('ended'), releaseId: z.string() }),
  z.object({ kind: z.literal('chart'), releaseId: z.string(), why: z.enum(['breach', 'completed']) }),
]);

export function createInsightProcessor(deps: { insight: InsightService; log: Logger }) {
  return async (job: Job): Promise<string> => {
    const data = insightJobSchema.parse(job.data);
    const log = deps.log.child({ releaseId: data.releaseId, jobId: job.id });
    let result: string;
    switch (data.kind) {
      case 'changelog':
        result = await deps.insight.changelog(data.releaseId);
        break;
      case 'deploy':
        result = await deps.insight.deployStarted(data.releaseId);
        break;
      case 'ended':
        result = await deps.insight.ended(data.releaseId);
        break;
      case 'chart':
        result = await deps.insight.chart(data.releaseId, data.why);
        break;
    }
    log.debug({ kind: data.kind, result }, 'insight job');
    return result;
  };
}
