// What Slack's errors mean, in one place: the engine and the jobs never see Slack's error codes.
import { PermanentDeliveryError } from '../errors.ts';
import { MissingChannelError } from './channels.ts';
import { outcomeOf } from './delivery/outcome.ts';

/** Slack's error code out of a WebClient error (`name_taken`, `already_in_channel`, …), or null. */
export function slackErrorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('data' in error)) return null;
  const data = (error as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null || !('error' in data)) return null;
  const code = (data as { error?: unknown }).error;
  return typeof code === 'string' ? code : null;
}

/**
 * An error retrying cannot fix: Slack answered ok:false with a code of the request's own (channel_not_found,
 * is_archived, not_in_channel…), or a runbook channel does not exist. 5xx, network errors, rate limits
 * and Slack's own trouble (internal_error…) are not: the delivery layer's outcomeOf says which is which.
 */
export function isPermanentSlackError(error: unknown): boolean {
  if (error instanceof MissingChannelError) return true;
  const outcome = outcomeOf(error).type;
  return outcome === 'permanent' || outcome === 'not_in_channel';
}

/** Runs a delivery, turning Slack's permanent refusals into the engine's neutral PermanentDeliveryError. */
export async function classifyDelivery<T>(deliver: () => Promise<T>): Promise<T> {
  try {
    return await deliver();
  } catch (error) {
    if (error instanceof PermanentDeliveryError || !isPermanentSlackError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new PermanentDeliveryError(message, { cause: error });
  }
}
