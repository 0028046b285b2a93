// Fault injection and the call log. Tests say "the next 2 chat.postMessage calls are rate limited" and
// then check which calls the bot made; faults answer the way Slack does (429 + Retry-After, 5xx, or an error).
import type { Args } from './body.ts';

export type Fault =
  /** HTTP status; 429 carries Retry-After (seconds, default 1) and {ok:false,error:'ratelimited'}. */
  | { status: number; retryAfter?: number }
  /** HTTP 200 with {ok:false, error}. */
  | { error: string };

export interface RecordedCall {
  method: string;
  args: Args;
  at: number;
  /** The injected fault this call got, if any. */
  fault?: Fault;
  /** What the call answered: ok, or the error code. */
  ok: boolean;
  error?: string;
}

export class FaultPlan {
  private readonly queued = new Map<string, Fault[]>();

  failNext(method: string, fault: Fault, times = 1): void {
    const list = this.queued.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.queued.set(method, list);
  }

  /** The fault for this call of `method`, consumed; undefined when none is queued. */
  take(method: string): Fault | undefined {
    return this.queued.get(method)?.shift();
  }

  clear(): void {
    this.queued.clear();
  }
}

export class CallLog {
  private readonly entries: RecordedCall[] = [];

  record(call: RecordedCall): void {
    this.entries.push(call);
  }

  calls(method?: string): RecordedCall[] {
    return this.entries.filter((c) => method === undefined || c.method === method);
  }
}
