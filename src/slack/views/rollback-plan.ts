// What a rollback will do, said in its reason dialog (the one confirmation): the same walk back the
// machine will take (src/release/walk-back.ts), step by step, with the plan's redacted summaries.
import type { Release, RollbackStep } from '../../release/types.ts';
import { templateVars } from '../../release/machine.ts';
import { walkBackSteps } from '../../release/walk-back.ts';
import { stagesLeftToUndo } from '../../release/rollback-target.ts';
import { fillKnown } from '../../config/template.ts';
import { escapeMrkdwn, truncate } from '../blockkit.ts';

/**
 * "Traffic returns to *v1.2.2*. Runway sets traffic to 0%, then turns `unleash flag ai` off (undoes
 * Flag ai 10%), then runs `./ops/rollback.sh v1.2.2`."
 */
export function rollbackPlanText(r: Release): string {
  // As the engine walks: the stages that started, less those a stopped walk already undid.
  const steps = walkBackSteps(r.plan, r.plan.stages, stagesLeftToUndo(r)).map((s) => stepText(r, s));
  const target = r.previousVersion
    ? `Traffic returns to *${r.previousVersion}*.`
    : 'No previous version is recorded: nothing is redeployed.';
  if (steps.length === 0) return `${target} No stage that started has an undo: nothing is run.`;
  return `${target} Runway ${steps.join(', then ')}.`;
}

function stepText(r: Release, step: RollbackStep): string {
  if (step.name === 'traffic') return 'sets traffic to 0%';
  if (step.name === 'verify') return 'runs the smoke tests';
  const what = `\`${truncate(summary(r, step.action).replace(/`/g, "'"), 160)}\``;
  const undoes = step.name === 'rollback' || !step.label ? '' : ` (undoes ${escapeMrkdwn(step.label)})`;
  return step.flagOff ? `turns ${what} off${undoes}` : `runs ${what}${undoes}`;
}

/** An action's summary with the release's values filled in; unknown placeholders stay visible. */
export function summary(r: Release, action: string): string {
  return fillKnown(r.plan.actionSummaries[action] ?? action, templateVars(r));
}
