// One interface for every flag service (LaunchDarkly, Unleash): turn on, set the rollout %, turn off.
// Each provider speaks through `FlagHttp`, so retries, timeouts and secret scrubbing live in one place.

export interface FlagResponse {
  status: number;
  body: string;
}

/** One call to the provider's API; the path is joined to the configured base URL. */
export interface FlagRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Sends a request; resolves with any 2xx response, throws FlagError for anything else. */
export type FlagHttp = (request: FlagRequest) => Promise<FlagResponse>;

export interface FlagProvider {
  turnOn(): Promise<void>;
  /** 0 < percent ≤ 100: the share of users who get the flag when it is on. */
  setRollout(percent: number): Promise<void>;
  turnOff(): Promise<void>;
}

/** A provider refused (4xx: permanent) or could not be reached after retries (transient). */
export class FlagError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly body?: string,
  ) {
    super(message);
  }
}
