// The loaded runbook, with each service × environment resolved once: what the engine and jobs consult.
import {
  environmentsOf,
  findAction,
  findTarget,
  resolveEnvironment,
  toPlan,
  type ResolvedEnvironment,
  type Runbook,
} from '../config/runbook.ts';
import type { ActionConfig, GateConfig } from '../config/schema.ts';
import type { ReleasePlan } from '../release/types.ts';

export class RunbookContext {
  private readonly resolved = new Map<string, ResolvedEnvironment>();

  constructor(
    readonly runbook: Runbook,
    readonly secrets: readonly string[] = [],
  ) {}

  target(wanted: { service?: string; environment?: string }) {
    return findTarget(this.runbook, wanted);
  }

  resolve(service: string, environment: string): ResolvedEnvironment {
    const key = `${service}\u0000${environment}`;
    let found = this.resolved.get(key);
    if (!found) {
      found = resolveEnvironment(this.runbook, service, environment);
      this.resolved.set(key, found);
    }
    return found;
  }

  plan(service: string, environment: string): ReleasePlan {
    const plan = toPlan(this.resolve(service, environment), this.secrets);
    const promotesTo = this.promotesTo(service, environment);
    return promotesTo.length > 0 ? { ...plan, promotesTo } : plan;
  }

  /** The service's environments that promote from this one. */
  promotesTo(service: string, environment: string): string[] {
    return environmentsOf(this.runbook, service).filter(
      (env) => env !== environment && this.resolve(service, env).promotion?.from === environment,
    );
  }

  action(service: string, environment: string, name: string): ActionConfig | undefined {
    return findAction(this.resolve(service, environment), name);
  }

  gate(service: string, environment: string, name: string): GateConfig | undefined {
    return this.resolve(service, environment).gates[name];
  }
}
