// Deliver processor. Takes: a runway-deliver job, 'lane' {channel} (drain that channel's posts at its
// pace) or 'cards' (spend the workspace's chat.update budget). Produces: posts and card edits in
// Slack, each post once and in order (src/slack/delivery/); a process without Slack does nothing.
import type { Job } from 'bullmq';
import type { SlackDelivery } from '../src/slack/delivery/service.ts';

export function createDeliverProcessor(delivery: Pick<SlackDelivery, 'process'> | null) {
  return async (job: Job): Promise<number> => (delivery ? delivery.process(job) : 0);
}
