// WebClient settings shared by Bolt and the notifier: every call goes to SLACK_API_URL; 429s wait
// Retry-After and retry (the client pauses its queue); network errors and 5xx retry with backoff.
import { LogLevel, type WebClientOptions } from '@slack/web-api';

export function webClientOptions(apiUrl: string): WebClientOptions {
  return {
    slackApiUrl: apiUrl,
    logLevel: LogLevel.ERROR,
    rejectRateLimitedCalls: false,
    retryConfig: { retries: 6, factor: 2, minTimeout: 500, maxTimeout: 10_000, randomize: true },
    timeout: 15_000,
  };
}
