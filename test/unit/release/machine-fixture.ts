// Shared by the machine's table tests: a release of the standard test plan, driven by the simulator.
import { startRelease, type StartInput } from '../../../src/release/machine.ts';
import type { ReleasePlan, ReleaseState } from '../../../src/release/types.ts';
import { makePlan } from '../../helpers/plan.ts';
import { Simulator, type SimOptions } from '../../helpers/simulate.ts';

export const MIN = 60_000;

export function input(plan: ReleasePlan = makePlan(), over: Partial<StartInput> = {}): StartInput {
  return {
    id: 'checkout-production-1',
    service: 'checkout',
    environment: 'production',
    version: 'v1.2.3',
    previousVersion: 'v1.2.2',
    requester: 'UALICE',
    dryRun: false,
    plan,
    ...over,
  };
}

export function sim(plan?: ReleasePlan, opts: SimOptions = {}, over: Partial<StartInput> = {}): Simulator {
  return new Simulator(startRelease(input(plan, over), opts.start ?? new Date('2026-11-24T18:00:00Z')), opts);
}

/** Pre-flight passes (CI check + backup ticked) and bob and carol approve. */
export function approve(s: Simulator): void {
  s.runUntil((r) => r.preflight[0]?.status !== 'running'); // the CI check finishes
  s.send({ type: 'preflightTicked', itemId: 'backup', actor: { user: 'UALICE' }, checked: true });
  s.send({ type: 'approved', actor: { user: 'UBOB' } });
  s.send({ type: 'approved', actor: { user: 'UCAROL' } });
}

export const isFinal = (r: { state: ReleaseState }) =>
  ['completed', 'rolled_back', 'failed', 'aborted', 'rejected'].includes(r.state);
