// Insight processor. Takes: a runway-insight job (changelog, deploy, ended, chart) for one release.
// Produces: the stored changelog and its card refresh or thread note, GitHub deployment statuses, a
// chart queued in the thread through the delivery layer. A job that finds another job of the same
// release reporting to GitHub throws and retries; a GitHub rate limit is waited out.
import { UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import type { Logger } from '../src/log.ts';
import type { InsightService } from '../src/insight/service.ts';
import { githubFailure } from '../src/insight/github-errors.ts';

const insightJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('changelog'), releaseId: z.string() }),
  z.object({ kind: z.literal('deploy'), releaseId: z.string() }),
  z.object({ kind: z.literal('ended'), releaseId: z.string() }),
  z.object({
    kind: z.literal('chart'),
    releaseId: z.string(),
    why: z.enum(['breach', 'completed']),
    breach: z.string().optional(),
  }),
]);

export function createInsightProcessor(deps: { insight: InsightService; log: Logger }) {
  return async (job: Job): Promise<string> => {
    const data = insightJobSchema.parse(job.data);
    const log = deps.log.child({ releaseId: data.releaseId, jobId: job.id });
    let result: string;
    try {
      // The last attempt keeps a changelog that could not be listed as none (said once, in the thread).
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      result = await run(deps.insight, data, lastAttempt);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      const failure = githubFailure(error, Date.now());
      // GitHub refusing the request (bad token, no such repository or ref) will refuse it again.
      if (failure.kind === 'refused') {
        log.warn({ kind: data.kind, status, err: (error as Error).message }, 'insight job refused by GitHub');
        throw new UnrecoverableError(`GitHub answered ${status}: ${(error as Error).message}`);
      }
      // A rate limit: the next attempt waits as long as GitHub asked (insightRetryDelay).
      if (failure.kind === 'wait') {
        log.info({ kind: data.kind, status, waitMs: failure.ms }, 'insight job rate-limited by GitHub');
        throw Object.assign(error as Error, { retryAfterMs: failure.ms });
      }
      throw error;
    }
    log.debug({ kind: data.kind, result }, 'insight job');
    return result;
  };
}

async function run(
  insight: InsightService,
  data: z.infer<typeof insightJobSchema>,
  lastAttempt: boolean,
): Promise<string> {
  switch (data.kind) {
    case 'changelog':
      return insight.changelog(data.releaseId, lastAttempt);
    case 'deploy':
      return insight.deployStarted(data.releaseId);
    case 'ended':
      return insight.ended(data.releaseId);
    case 'chart':
      return insight.chart(data.releaseId, data.why, data.breach);
  }
}
