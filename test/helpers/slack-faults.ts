// Fault injection and the call log, for tests only: they say "the next 2 chat.postMessage calls are
// rate limited" and then check which calls the bot made. Faults answer the way Slack does (429 +
// Retry-After, 5xx, or HTTP 200 with an error); they plug into the workspace's Web API hooks.
import type { Args } from '../../src/sandbox/workspace/body.ts';
import { fail } from '../../src/sandbox/workspace/method-kit.ts';
import type { ApiHooks, Interception, ObservedCall } from '../../src/sandbox/workspace/web-api.ts';

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

/** Slack's answer to a call that meets this fault. */
function answerFor(fault: Fault): Interception {
  if ('error' in fault) return { status: 200, body: fail(fault.error) };
  const error = fault.status === 429 ? 'ratelimited' : 'internal_error';
  const headers: Record<string, string> =
    fault.status === 429 ? { 'Retry-After': String(fault.retryAfter ?? 1) } : {};
  return { status: fault.status, body: fail(error), headers };
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

/** The Web API hooks that answer planned faults and log every call. */
export function faultHooks(plan: FaultPlan, log: CallLog): ApiHooks {
  const faults = new WeakMap<Interception, Fault>();
  return {
    intercept(method) {
      const fault = plan.take(method);
      if (!fault) return undefined;
      const answer = answerFor(fault);
      faults.set(answer, fault);
      return answer;
    },
    observe(call: ObservedCall, interception) {
      const fault = interception ? faults.get(interception) : undefined;
      log.record({ ...call, ...(fault ? { fault } : {}) });
    },
  };
}
