// The walk back (SPEC section 10): traffic to 0, then each started stage's undo newest first, then
// smoke when verify_rollback. Pure: the steps a rollback will take, from the stages and the actions.
import type { PlannedStage, ReleasePlan, RollbackStep } from './types.ts';
import { stageLabel } from './stage-plan.ts';

/**
 * What undoes a stage: its `undo:` (a flag action named there is turned off), else `rollback` for a
 * deploy, flag off for a flag, else nothing.
 */
export function undoOf(
  stage: PlannedStage,
  actions: readonly string[],
): Omit<RollbackStep, 'name' | 'status'> | null {
  if (stage.undo) return { action: stage.undo, ...(stage.undoFlagOff ? { flagOff: true } : {}) };
  if (stage.kind === 'flag') return { action: stage.action, flagOff: true };
  if (stage.kind === 'deploy' && actions.includes('rollback')) return { action: 'rollback' };
  return null;
}

/**
 * The undo steps for the started stages (indices, any order), newest first. The undo of a deploy by
 * `rollback` keeps the step name `rollback`; every other undo is `undo-s<stage>`. A runbook with no
 * deploy stage and no `undo: rollback` still runs its `rollback`
 * action once after the undos, as before stages could name undos.
 */
export function undoSteps(
  stages: readonly PlannedStage[],
  started: readonly number[],
  actions: readonly string[],
): RollbackStep[] {
  const steps: RollbackStep[] = [];
  const names = new Set<string>();
  for (const i of [...new Set(started)].sort((a, b) => b - a)) {
    const stage = stages[i];
    const undo = stage ? undoOf(stage, actions) : null;
    if (!stage || !undo) continue;
    const name =
      undo.action === 'rollback' && !undo.flagOff && !names.has('rollback') ? 'rollback' : `undo-s${i}`;
    names.add(name);
    steps.push({ name, status: 'waiting', stage: i, label: stageLabel(stage), ...undo });
  }
  const undoneByRollback = stages.some((s) => s.kind === 'deploy' || s.undo === 'rollback');
  if (!undoneByRollback && actions.includes('rollback') && !names.has('rollback'))
    steps.push({ name: 'rollback', action: 'rollback', status: 'waiting' });
  return steps;
}

/** Every step of the walk back, in order. */
export function walkBackSteps(
  plan: Pick<ReleasePlan, 'actions' | 'verifyRollback'>,
  stages: readonly PlannedStage[],
  started: readonly number[],
): RollbackStep[] {
  const has = (name: string) => plan.actions.includes(name);
  return [
    ...(has('traffic') ? [{ name: 'traffic', action: 'traffic', status: 'waiting' } as const] : []),
    ...undoSteps(stages, started, plan.actions),
    ...(plan.verifyRollback && has('smoke')
      ? [{ name: 'verify', action: 'smoke', status: 'waiting' } as const]
      : []),
  ].map((s) => ({ ...s }));
}
