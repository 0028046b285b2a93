// WebClient settings shared by Bolt and the notifier: every call goes to SLACK_API_URL; 429s wait
// Retry-After and retry (the client pauses its queue); network errors and 5xx retry with backoff.
import { LogLevel, WebClient, type WebAPICallResult, type WebClientOptions } from '@slack/web-api';

/** Told of every Web API call's outcome ('ok' or Slack's error code) and of every retry. */
export interface SlackCallObserver {
  call(method: string, outcome: string): void;
  retry(reason: string): void;
}

export function webClientOptions(
  apiUrl: string,
  observe?: () => SlackCallObserver | undefined,
): WebClientOptions {
  return {
    slackApiUrl: apiUrl,
    logLevel: LogLevel.ERROR,
    rejectRateLimitedCalls: false,
    // onFailedAttempt is p-retry's (the client hands retryConfig to p-retry as is), not in its type.
    retryConfig: {
      retries: 6,
      factor: 2,
      minTimeout: 500,
      maxTimeout: 10_000,
      randomize: true,
      // p-retry calls this before each retry (5xx, network errors). A 429 is counted by the client's
      // event; the error it then throws to retry (no status) must not count it again as 'network'.
      onFailedAttempt: (error: { statusCode?: number; message?: string }) => {
        if (RATE_LIMIT_RETRY.test(error.message ?? '')) return;
        observe?.()?.retry(retryReason(error.statusCode));
      },
    } as WebClientOptions['retryConfig'],
    timeout: 15_000,
  };
}

/**
 * @slack/web-api's error after it waited out a 429 (WebClient.js throws "A rate limit was exceeded …",
 * which reaches p-retry wrapped as "A request error occurred: A rate limit was exceeded …").
 */
const RATE_LIMIT_RETRY = /A rate limit was exceeded/;

/** An HTTP error from Slack (5xx) carries its status; anything else failed on the way. */
function retryReason(statusCode: number | undefined): string {
  return statusCode ? `http_${statusCode}` : 'network';
}

/**
 * A WebClient that reports each call. Its methods (chat.postMessage …) are bound to apiCall when it
 * is built, so the hook must live in the class: patching apiCall afterwards would miss them.
 */
export class ObservedWebClient extends WebClient {
  /** Shared with the retry hook, which is built before `this` exists. */
  private readonly watch: { observer?: SlackCallObserver };

  /** `direct`: no retries and 429s rejected, not waited for (the delivery layer's client). */
  constructor(
    token: string,
    apiUrl: string,
    direct?: { retries: 0; rejectRateLimitedCalls: true; timeout: number },
  ) {
    const watch: { observer?: SlackCallObserver } = {};
    const options = webClientOptions(apiUrl, () => watch.observer);
    super(
      token,
      direct
        ? {
            ...options,
            retryConfig: { retries: 0 },
            rejectRateLimitedCalls: true,
            timeout: direct.timeout,
          }
        : options,
    );
    this.watch = watch;
  }

  get observer(): SlackCallObserver | undefined {
    return this.watch.observer;
  }

  set observer(observer: SlackCallObserver | undefined) {
    if (observer) this.watch.observer = observer;
    else delete this.watch.observer;
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    try {
      const result = await super.apiCall(method, options);
      this.observer?.call(method, 'ok');
      return result;
    } catch (error) {
      const e = error as { data?: { error?: string }; code?: string };
      this.observer?.call(method, e.data?.error ?? e.code ?? 'error');
      throw error;
    }
  }
}
