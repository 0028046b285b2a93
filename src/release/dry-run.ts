// A dry run: the whole plan, with the commands it would run, as one thread note; nothing runs.
import { fillKnown } from '../config/template.ts';
import { audit, finish, note, type Draft } from './draft.ts';
import type { DryRunStage } from './notes.ts';
import { stageAction, stageLabel, stageVars, templateVars } from './stage-plan.ts';
import { walkBackSteps } from './walk-back.ts';

export function walkDryRun(d: Draft, warnings: string[]): void {
  const r = d.r;
  const vars = templateVars(r);
  const stages: DryRunStage[] = r.plan.stages.map((stage, i) => {
    const action = stageAction(stage);
    r.stages[i]!.status = 'skipped';
    return {
      label: stageLabel(stage),
      ...(action
        ? {
            command: fillKnown(r.plan.actionSummaries[action] ?? action, {
              ...vars,
              ...stageVars(stage),
            }),
          }
        : {}),
      gates: stage.gates.map((g) => {
        const p = r.plan.gates[g];
        if (!p) return g;
        return {
          name: g,
          ...(p.min !== undefined ? { min: p.min } : {}),
          ...(p.max !== undefined ? { max: p.max } : {}),
          forMs: p.forMs,
          everyMs: p.everyMs,
        };
      }),
    };
  });
  const rollback = r.plan.actionSummaries.rollback;
  // The walk back a rollback after the last stage would take (every stage started).
  const walkBack = walkBackSteps(
    r.plan,
    r.plan.stages,
    r.plan.stages.map((_, i) => i),
  ).map((s) => {
    const summary = fillKnown(r.plan.actionSummaries[s.action] ?? s.action, {
      ...vars,
      ...(s.name === 'traffic' ? { percent: 0 } : {}),
    });
    return {
      step: s.name,
      command: s.flagOff ? `${summary} off` : summary,
      ...(s.label !== undefined ? { undoOf: s.label } : {}),
    };
  });
  note(d, {
    kind: 'dryRun',
    service: r.service,
    version: r.version,
    environment: r.environment,
    warnings,
    preflight: r.preflight.map((item) => ({
      title: item.title,
      manual: item.manual,
      command: fillKnown(r.plan.actionSummaries[`preflight:${item.id}`] ?? item.id, vars),
    })),
    approvals: { required: r.plan.approvals.required, approvers: r.plan.approvals.approvers },
    stages,
    onBreach: r.plan.onBreach,
    ...(rollback ? { rollbackCommand: fillKnown(rollback, vars) } : {}),
    walkBack,
  });
  audit(d, 'release.dry_run', r.requester, { stages: r.plan.stages.length });
  finish(d, 'completed', 'Dry run: every stage was printed, nothing was run.');
}
