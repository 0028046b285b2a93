// The runway-handoff queue: one job per scheduled slot, its id made from the slot, so every process
// whose cron fired for that slot adds the same job and BullMQ keeps one.
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { ONCALL_BACKOFF_TYPE } from '../incidents/jobs.ts';

export const handoffJobSchema = z.object({ slot: z.string() });
export type HandoffJob = z.infer<typeof handoffJobSchema>;

/** `handoff-2026-11-24T08-00-00-000Z`: no `:` (BullMQ refuses it in custom ids). */
export function handoffSlotJobId(slot: string): string {
  return `handoff-${slot.replace(/[:.]/g, '-')}`;
}

export const HANDOFF_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
  attempts: 8,
  backoff: { type: ONCALL_BACKOFF_TYPE },
};
