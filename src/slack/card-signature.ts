// What a release card's *state* is, as a string: a card whose signature changed (approved, a stage
// started or ended, breached, paused, rolled back, completed) goes before cards whose readings alone
// changed, when they compete for the workspace's chat.update budget.
import type { Release } from '../release/types.ts';

export function cardSignature(r: Release): string {
  return JSON.stringify([
    r.state,
    r.stageIndex,
    r.stages.map((s) => [s.status, s.phase ?? '']),
    r.preflight.map((p) => p.status),
    r.approvals.length,
    r.traffic,
    r.pause ? 1 : 0,
    r.rollback?.steps.map((s) => s.status) ?? null,
    // A gate in breach is a state change; a steady reading is not.
    Object.entries(r.gates).map(([name, g]) => [name, g.verdict]),
  ]);
}
