// The delivery layer's own WebClient: no retries and no waiting of its own (rejectRateLimitedCalls),
// so a 429 never pauses a queue that other calls wait in; the layer holds the channel and retries.
import { ObservedWebClient } from '../client-options.ts';

export function deliveryClient(token: string, apiUrl: string): ObservedWebClient {
  return new ObservedWebClient(token, apiUrl, { retries: 0, rejectRateLimitedCalls: true, timeout: 10_000 });
}
